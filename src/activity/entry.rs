//! An activity entry: which workspace, backend and app, what was done, how it ended, and the
//! filter that reads entries back.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::scrub::scrub;
use crate::api::{ApiError, ErrorKind};
use crate::backends::BackendKind;

/// What the write did. Unknown words from a newer version are kept as they are.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Create,
    Rename,
    RedirectUris,
    Webhook,
    RotateSecret,
    RotateWebhookSecret,
    Import,
    Deactivate,
    Reactivate,
    AddKey,
    DeleteKey,
    CreateWorkflow,
    UpdateWorkflow,
    Other(String),
}

impl Action {
    pub const ALL: [Action; 13] = [
        Action::Create,
        Action::Rename,
        Action::RedirectUris,
        Action::Webhook,
        Action::RotateSecret,
        Action::RotateWebhookSecret,
        Action::Import,
        Action::Deactivate,
        Action::Reactivate,
        Action::AddKey,
        Action::DeleteKey,
        Action::CreateWorkflow,
        Action::UpdateWorkflow,
    ];

    /// The word in the file and on the command line: `redirect-uris`, `rotate-secret`, …
    pub fn as_str(&self) -> &str {
        match self {
            Action::Create => "create",
            Action::Rename => "rename",
            Action::RedirectUris => "redirect-uris",
            Action::Webhook => "webhook",
            Action::RotateSecret => "rotate-secret",
            Action::RotateWebhookSecret => "rotate-webhook-secret",
            Action::Import => "import",
            Action::Deactivate => "deactivate",
            Action::Reactivate => "reactivate",
            Action::AddKey => "add-key",
            Action::DeleteKey => "delete-key",
            Action::CreateWorkflow => "create-workflow",
            Action::UpdateWorkflow => "update-workflow",
            Action::Other(word) => word,
        }
    }

    /// How it reads to people, in the language of the calling thread: "Rotate webhook secret".
    /// Shown only: the log itself keeps [`Action::as_str`].
    pub fn label(&self) -> String {
        match self {
            Action::Create => crate::tr!("activity-action-create"),
            Action::Rename => crate::tr!("activity-action-rename"),
            Action::RedirectUris => crate::tr!("activity-action-redirect-uris"),
            Action::Webhook => crate::tr!("activity-action-webhook"),
            Action::RotateSecret => crate::tr!("activity-action-rotate-secret"),
            Action::RotateWebhookSecret => crate::tr!("activity-action-rotate-webhook-secret"),
            Action::Import => crate::tr!("activity-action-import"),
            Action::Deactivate => crate::tr!("activity-action-deactivate"),
            Action::Reactivate => crate::tr!("activity-action-reactivate"),
            Action::AddKey => crate::tr!("activity-action-add-key"),
            Action::DeleteKey => crate::tr!("activity-action-delete-key"),
            Action::CreateWorkflow => crate::tr!("activity-action-create-workflow"),
            Action::UpdateWorkflow => crate::tr!("activity-action-update-workflow"),
            Action::Other(word) => word.clone(),
        }
    }

    /// Reads a word written by [`Action::as_str`] (any case, `_` or `-`).
    pub fn parse(word: &str) -> Action {
        let normalized = word.trim().to_lowercase().replace('_', "-");
        Action::ALL
            .into_iter()
            .find(|a| a.as_str() == normalized)
            .unwrap_or_else(|| Action::Other(word.trim().to_owned()))
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Action {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|w| Action::parse(&w))
    }
}

/// Whether the write went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Ok,
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Failed => "failed",
        }
    }
}

/// One write, as one line of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// UTC, ISO-8601 with milliseconds.
    pub time: String,
    /// `host[:port]` of the workspace or instance.
    pub workspace: String,
    pub backend: BackendKind,
    pub action: Action,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_name: Option<String>,
    pub outcome: Outcome,
    /// For a failure: the sentence shown to the person, with what to do next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The API's error code of a failure, such as `RESOURCE_NOT_FOUND`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// What changed, in a few words: "retryAttempts, url", "12 created, 3 already exist, …".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Entry {
    /// A successful `action` on the workspace at `workspace` (`host[:port]`), now.
    pub fn new(backend: BackendKind, workspace: &str, action: Action) -> Entry {
        Entry {
            time: crate::clock::iso_now(),
            workspace: workspace.to_owned(),
            backend,
            action,
            app_id: None,
            app_name: None,
            outcome: Outcome::Ok,
            error: None,
            error_code: None,
            request_id: None,
            detail: None,
        }
    }

    /// The app written to, and its name when known.
    pub fn app(mut self, id: &str, name: Option<&str>) -> Entry {
        self.app_id = Some(id.to_owned()).filter(|id| !id.is_empty());
        if let Some(name) = name.filter(|n| !n.is_empty()) {
            self.app_name = Some(name.to_owned());
        }
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Entry {
        self.detail = Some(detail.into());
        self
    }

    pub fn request_id(mut self, request_id: Option<String>) -> Entry {
        if request_id.is_some() {
            self.request_id = request_id;
        }
        self
    }

    /// A failure, with the sentence shown to the person.
    pub fn failed(mut self, error: impl Into<String>) -> Entry {
        self.outcome = Outcome::Failed;
        self.error = Some(error.into());
        self
    }

    /// A failed call: its sentence, code and request id.
    pub fn failed_with(self, error: &ApiError) -> Entry {
        // Stored: the sentence stays English whatever the console speaks.
        let mut entry = self.failed(crate::i18n::in_english(|| error.user_message()));
        entry.error_code = error.code.clone();
        entry.request_id(error.request_id.clone())
    }

    /// The same entry with every text scrubbed and cut to length, as it is written.
    pub fn scrubbed(&self) -> Entry {
        let clean = |text: &Option<String>| text.as_deref().map(scrub);
        Entry {
            workspace: scrub(&self.workspace),
            app_id: clean(&self.app_id),
            app_name: clean(&self.app_name),
            error: clean(&self.error),
            error_code: clean(&self.error_code),
            request_id: clean(&self.request_id),
            detail: clean(&self.detail),
            ..self.clone()
        }
    }
}

/// Whether a failed call is worth an entry: a call refused before anything was sent (a name
/// too long, an http address, an untrusted certificate, a proxy's refusal, an unknown host)
/// changed nothing anywhere.
pub fn was_sent(error: &ApiError) -> bool {
    !matches!(
        error.kind,
        ErrorKind::Local | ErrorKind::Tls | ErrorKind::Proxy | ErrorKind::UnknownHost
    )
}

/// `host[:port]` of a base URL, as entries name a workspace.
pub fn workspace_of(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or("?");
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// Which entries to read back. Empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Any of app id, app name, workspace, action, error, detail or request id contains this
    /// (any case).
    pub text: Option<String>,
    pub action: Option<Action>,
    pub outcome: Option<Outcome>,
    pub workspace: Option<String>,
    pub app_id: Option<String>,
    /// Apps whose name matches `text` now: their entries match too, even those logged under
    /// a name the app had before.
    pub text_apps: Vec<String>,
}

impl Filter {
    pub fn matches(&self, entry: &Entry) -> bool {
        if self.action.as_ref().is_some_and(|a| *a != entry.action)
            || self.outcome.is_some_and(|o| o != entry.outcome)
            || self
                .workspace
                .as_ref()
                .is_some_and(|w| !entry.workspace.eq_ignore_ascii_case(w))
            || self
                .app_id
                .as_ref()
                .is_some_and(|id| entry.app_id.as_ref() != Some(id))
        {
            return false;
        }
        let Some(needle) = self
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        else {
            return true;
        };
        if entry
            .app_id
            .as_ref()
            .is_some_and(|id| self.text_apps.contains(id))
        {
            return true;
        }
        let needle = needle.to_lowercase();
        let found = |field: &str| field.to_lowercase().contains(&needle);
        // The action's words are made last, only for an entry nothing else matched: in the
        // language shown and in English, so either finds it.
        [
            entry.app_id.as_deref(),
            entry.app_name.as_deref(),
            Some(entry.workspace.as_str()),
            Some(entry.action.as_str()),
            entry.error.as_deref(),
            entry.detail.as_deref(),
            entry.request_id.as_deref(),
        ]
        .into_iter()
        .flatten()
        .any(found)
            || found(&entry.action.label())
            || (crate::i18n::current_language() != crate::i18n::Language::English
                && found(&crate::i18n::in_english(|| entry.action.label())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn an_app_found_by_its_name_now_finds_entries_under_its_old_name() {
        let entry = Entry::new(
            crate::backends::BackendKind::Hopae,
            "127.0.0.1:8787",
            Action::Rename,
        )
        .app("A1", Some("Old Name"));
        let by_text = Filter {
            text: Some("acme".into()),
            ..Filter::default()
        };
        assert!(!by_text.matches(&entry));
        let with_apps = Filter {
            text_apps: vec!["A1".into()],
            ..by_text
        };
        assert!(with_apps.matches(&entry));
    }

    #[test]
    fn actions_read_back_in_any_spelling() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), action);
        }
        assert_eq!(Action::parse("ROTATE_SECRET"), Action::RotateSecret);
        assert_eq!(Action::parse("delete"), Action::Other("delete".into()));
    }
}
