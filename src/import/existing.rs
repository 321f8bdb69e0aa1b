//! The workspace's apps as the import plan compares rows with them: by normalized name and by
//! client id, keeping only what a row can change (redirect URIs, webhook URL).

use std::collections::HashMap;

use crate::api::App;

/// One app of the workspace, reduced to what the plan compares.
#[derive(Debug, Clone, PartialEq)]
pub struct ExistingApp {
    pub client_id: String,
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub webhook_url: Option<String>,
}

/// The workspace's apps at the time of planning.
#[derive(Debug, Clone, Default)]
pub struct Existing {
    apps: Vec<ExistingApp>,
    by_name: HashMap<String, Vec<usize>>,
    by_client_id: HashMap<String, usize>,
    /// Whether the workspace was read at all (a dry run without a connection does not).
    pub surveyed: bool,
}

/// The name as rows and apps are matched: trimmed and case-folded.
pub fn normalize_name(name: &str) -> String {
    name.trim().to_lowercase()
}

impl Existing {
    pub fn from_apps(apps: &[App]) -> Self {
        let mut existing = Existing {
            surveyed: true,
            ..Existing::default()
        };
        for app in apps {
            let index = existing.apps.len();
            existing
                .by_name
                .entry(normalize_name(&app.name))
                .or_default()
                .push(index);
            existing.by_client_id.insert(app.client_id.clone(), index);
            existing.apps.push(ExistingApp {
                client_id: app.client_id.clone(),
                name: app.name.clone(),
                redirect_uris: app.redirect_uris.clone(),
                webhook_url: app
                    .webhook_config
                    .as_ref()
                    .and_then(|w| w.url.clone())
                    .filter(|u| !u.is_empty()),
            });
        }
        existing
    }

    pub fn len(&self) -> usize {
        self.apps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.apps.is_empty()
    }

    /// Apps whose normalized name equals the normalized `name`, oldest first.
    pub fn by_name(&self, name: &str) -> Vec<&ExistingApp> {
        self.by_name
            .get(&normalize_name(name))
            .map(|indexes| indexes.iter().map(|&i| &self.apps[i]).collect())
            .unwrap_or_default()
    }

    pub fn by_client_id(&self, client_id: &str) -> Option<&ExistingApp> {
        self.by_client_id.get(client_id).map(|&i| &self.apps[i])
    }
}
