//! What an import into a ZITADEL project does with each row, decided before anything is sent.
//!
//! ZITADEL app names are unique per project (an exact match, case and all), so a row's identity
//! is its name: an external id in the file is reported but identifies nothing here. A row whose
//! name a project app already has is left alone, unless the journal says an earlier run of an
//! import sent that very row without learning the outcome: then the app is that run's, and it
//! is claimed (its secret issued again, once) instead of created.

use std::collections::HashMap;

use super::super::journal::{EntryState, JournalEntry};
use super::super::plan::PlanCounts;
use super::super::validate::Row;
use crate::zitadel::ZitadelApp;

/// A project's apps by exact name, as they were when the import planned.
#[derive(Debug, Clone, Default)]
pub struct ProjectApps {
    by_name: HashMap<String, ZitadelApp>,
    /// Whether the project was read at all (a dry run without a connection does not).
    pub surveyed: bool,
}

impl ProjectApps {
    pub fn from_apps(apps: Vec<ZitadelApp>) -> Self {
        Self {
            by_name: apps.into_iter().map(|a| (a.name.clone(), a)).collect(),
            surveyed: true,
        }
    }

    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// The app with exactly this name.
    pub fn by_name(&self, name: &str) -> Option<&ZitadelApp> {
        self.by_name.get(name)
    }
}

/// What the import does with one row.
#[derive(Debug, Clone, PartialEq)]
pub enum ZitadelAction {
    /// No app has the name: create it.
    Create,
    /// An earlier run sent this row and never recorded the outcome, and an app with the name is
    /// in the project now: it is that run's app. Its secret is issued again (BASIC) and saved.
    Claim { app: ZitadelApp },
    /// An app with this name was in the project before the import: it is left as it is, and
    /// its secret is never touched.
    Exists { app_id: String, client_id: String },
    /// An earlier run created it and saved its secret (the journal says so).
    CreatedEarlier { client_id: String },
}

/// One valid row and what will happen to it.
#[derive(Debug, Clone, PartialEq)]
pub struct ZitadelPlannedRow {
    /// Spreadsheet row number.
    pub row: usize,
    /// `name:<exact name>`: the journal's key for this row.
    pub identity: String,
    pub name: String,
    pub external_id: Option<String>,
    pub action: ZitadelAction,
}

impl ZitadelPlannedRow {
    /// Whether the run sends something for this row (a create, or a new secret).
    pub fn sends(&self) -> bool {
        matches!(
            self.action,
            ZitadelAction::Create | ZitadelAction::Claim { .. }
        )
    }
}

/// What an import into a project will do.
#[derive(Debug, Clone, Default)]
pub struct ZitadelPlan {
    pub rows: Vec<ZitadelPlannedRow>,
    /// Rows not sent because an earlier row of the file has the same name: (row, first row).
    pub duplicates: Vec<(usize, usize)>,
    /// Rows not sent because they have an error.
    pub invalid: Vec<usize>,
}

impl ZitadelPlan {
    /// The preview's counts: claims count as new (they are this import's apps, not yet done).
    pub fn counts(&self) -> PlanCounts {
        let mut counts = PlanCounts {
            duplicates: self.duplicates.len(),
            invalid: self.invalid.len(),
            ..PlanCounts::default()
        };
        for row in &self.rows {
            if row.sends() {
                counts.new += 1;
            } else {
                counts.exists += 1;
            }
        }
        counts
    }

    /// The rows the run sends, in file order.
    pub fn to_send(&self) -> Vec<&ZitadelPlannedRow> {
        self.rows.iter().filter(|r| r.sends()).collect()
    }
}

/// A row's identity in a ZITADEL project: its exact name (names are unique per project).
pub fn identity(name: &str) -> String {
    format!("name:{}", name.trim())
}

/// Plans the rows of a file against the project's apps and the journal of earlier runs.
pub fn plan_zitadel(
    rows: &[Row],
    apps: &ProjectApps,
    journal: &HashMap<String, JournalEntry>,
) -> ZitadelPlan {
    let mut plan = ZitadelPlan::default();
    let mut first_row: HashMap<String, usize> = HashMap::new();
    for row in rows {
        if !row.is_valid() {
            plan.invalid.push(row.row);
            continue;
        }
        let identity = identity(&row.name);
        if let Some(first) = first_row.get(&identity) {
            plan.duplicates.push((row.row, *first));
            continue;
        }
        first_row.insert(identity.clone(), row.row);
        let action = decide(apps.by_name(row.name.trim()), journal.get(&identity));
        plan.rows.push(ZitadelPlannedRow {
            row: row.row,
            identity,
            name: row.name.trim().to_owned(),
            external_id: row.external_id.clone(),
            action,
        });
    }
    plan
}

fn decide(app: Option<&ZitadelApp>, entry: Option<&JournalEntry>) -> ZitadelAction {
    let state = entry.map(|e| e.state);
    match (state, app) {
        (Some(EntryState::Created), _) => ZitadelAction::CreatedEarlier {
            client_id: entry
                .and_then(|e| e.client_id.clone())
                .or_else(|| app.map(|a| a.client_id.clone()))
                .unwrap_or_default(),
        },
        // Sent by an earlier run, outcome never recorded, and the name is taken now: the
        // name was free when that run planned, so the app is the one it created.
        (Some(EntryState::Sent | EntryState::Unknown), Some(app)) => {
            ZitadelAction::Claim { app: app.clone() }
        }
        (_, Some(app)) => ZitadelAction::Exists {
            app_id: app.app_id.clone(),
            client_id: app.client_id.clone(),
        },
        (_, None) => ZitadelAction::Create,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zitadel::{AppKind, AppState, AuthMethod};

    fn row(number: usize, name: &str) -> Row {
        Row {
            row: number,
            name: name.into(),
            ..Row::default()
        }
    }

    fn app(id: &str, name: &str) -> ZitadelApp {
        ZitadelApp {
            app_id: id.into(),
            client_id: format!("c{id}"),
            name: name.into(),
            state: AppState::Active,
            kind: AppKind::Api,
            auth_method: Some(AuthMethod::Basic),
            created: None,
            changed: None,
        }
    }

    fn entry(name: &str, state: EntryState, client_id: Option<&str>) -> (String, JournalEntry) {
        let entry = JournalEntry {
            id: identity(name),
            row: 2,
            key: "run".into(),
            state,
            attempt: 0,
            client_id: client_id.map(str::to_owned),
            error: None,
            at: None,
        };
        (entry.id.clone(), entry)
    }

    #[test]
    fn names_match_exactly_and_taken_names_are_left_alone() {
        let apps = ProjectApps::from_apps(vec![app("1", "billing")]);
        let rows = [
            row(2, "billing"),
            row(3, "Billing"),
            row(4, "billing"),
            row(5, "ledger"),
        ];
        let plan = plan_zitadel(&rows, &apps, &HashMap::new());
        let actions: Vec<&ZitadelAction> = plan.rows.iter().map(|r| &r.action).collect();
        assert_eq!(
            actions,
            [
                &ZitadelAction::Exists {
                    app_id: "1".into(),
                    client_id: "c1".into()
                },
                &ZitadelAction::Create,
                &ZitadelAction::Create,
            ]
        );
        assert_eq!(plan.duplicates, [(4, 2)]);
        let counts = plan.counts();
        assert_eq!((counts.new, counts.exists, counts.duplicates), (2, 1, 1));
    }

    #[test]
    fn the_journal_claims_only_rows_it_sent() {
        let apps = ProjectApps::from_apps(vec![
            app("1", "sent"),
            app("2", "unknown"),
            app("3", "refused"),
            app("4", "done"),
        ]);
        let journal: HashMap<String, JournalEntry> = [
            entry("sent", EntryState::Sent, None),
            entry("unknown", EntryState::Unknown, None),
            entry("refused", EntryState::Refused, None),
            entry("done", EntryState::Created, Some("c4")),
            entry("gone", EntryState::Sent, None),
        ]
        .into_iter()
        .collect();
        let rows = ["sent", "unknown", "refused", "done", "gone"]
            .iter()
            .enumerate()
            .map(|(i, n)| row(i + 2, n))
            .collect::<Vec<_>>();
        let plan = plan_zitadel(&rows, &apps, &journal);
        assert!(matches!(&plan.rows[0].action, ZitadelAction::Claim { app } if app.app_id == "1"));
        assert!(matches!(&plan.rows[1].action, ZitadelAction::Claim { app } if app.app_id == "2"));
        assert!(matches!(&plan.rows[2].action, ZitadelAction::Exists { .. }));
        assert!(
            matches!(&plan.rows[3].action, ZitadelAction::CreatedEarlier { client_id } if client_id == "c4")
        );
        // Sent, but the name is still free: it never arrived, so it is created.
        assert_eq!(plan.rows[4].action, ZitadelAction::Create);
        assert_eq!(plan.to_send().len(), 3);
    }
}
