//! Connect Console: an admin console and command line for Hopae Connect apps (OIDC clients).
//!
//! | module | owns |
//! |---|---|
//! | `backends` | one folder per backend (`hopae`, `zitadel`, `memory`) behind the [`backends::Workspace`] trait, its capabilities, and the one app model |
//! | `ops` | every write, shared by the console and the command line: confirmation, activity log, recovery of a lost answer |
//! | `sandbox` | a local server speaking both contracts: the embedded default and the test ground |
//! | `import` | the CSV import: decode, parse, map, validate, plan against the workspace, run, journal, secrets file, report |
//! | `workflow` | workflow graph, lint and layered layout (no egui) |
//! | `runtime` | the background tokio runtime: `Command` in, `Event` out, every I/O of the console |
//! | `ui` | the egui views: state, the command list, the shell, the dialogs, the wizard, the graph |
//! | `cli` | the command-line commands |
//! | `activity` | the activity log: every write made from this computer, as JSON lines |
//! | `export` | apps without secrets as the import's CSV (it imports back) or JSON |
//! | `secret` | the `Secret` type |
//! | `search` | the one search rule for apps: every word typed in the name or the client id |
//! | `clipboard` | the copy-once clipboard for secrets |
//! | `settings` | where API keys live (environment, OS keyring, this run only) |
//! | `clock` | dates and times as text, without a calendar crate |
//! | `digest` | SHA-256 digests as hex: keys, fingerprints, secret hashes |
//!
//! # Failure handling
//! Every failure of a call is an [`api::ApiError`] with a sentence and a next step
//! ([`api::ApiError::user_message`]) and the request id; the CLI prints it on one line and
//! exits 1. Nothing panics on a server's answer, whatever its shape. In the console a failed
//! change is a notice of its own with Retry (the same request, so nothing happens twice) and
//! says when its outcome is unknown; a call still running after 3 s shows "Still waiting for
//! HOST…" with Cancel; a failed file, plan or import stays in the import wizard beside the step.

pub mod activity;
pub mod backends;
pub mod cli;
pub mod clipboard;
pub mod clock;
pub mod digest;
pub mod export;
pub mod i18n;
pub mod import;
pub mod ops;
pub mod runtime;
pub mod sandbox;
pub mod search;
pub mod secret;
pub mod settings;
pub mod sim_inputs;
pub mod ui;
pub mod workflow;

// The clients live with their backends; these paths keep the rest of the crate short.
pub use backends::hopae::api;
pub use backends::zitadel;

/// Helpers the unit tests of several modules share.
#[cfg(test)]
pub(crate) mod test_support {
    /// An environment of `pairs` only, for code that reads variables through a lookup function.
    pub fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }
}
