//! One row's calls to ZITADEL: create the API app under its marker name, resolve a create
//! whose answer was lost, issue the secret of an app this import created without receiving
//! it, and rename the app to the row's name once its secret is on disk.
//!
//! ZITADEL has no idempotency key, so the marker name is the import's own: no one else would
//! create an app called `billing ·imp-7f3a`. A create is sent again after a failure, and an
//! "already exists" answer, or a lost one, is resolved by looking up the marker name, never the
//! bare name: an app found there is this import's, and is checked to be an API app with the
//! auth method asked for before its secret is issued. The rename comes last, so a colleague's
//! app that took the name meanwhile is found by the rename ("already exists") and left alone.

use crate::api::{ApiError, ErrorKind, RetryPolicy};
use crate::import::journal::EntryState;
use crate::import::report::RowStatus;
use crate::secret::Secret;
use crate::zitadel::{AppKind, AuthMethod, CreatedApp, ZitadelApp, ZitadelClient, outcome_unknown};

use super::plan::ZitadelPlannedRow;
use crate::import::run::KeyFiles;
use crate::ops::NewKeyFile;

/// What a row's calls need.
pub(super) struct Sender<'a> {
    /// For creates: sends once, since this module decides about every retry.
    pub once: ZitadelClient,
    /// For lookups, secrets and renames, which are safe to retry.
    pub retried: ZitadelClient,
    pub project: &'a str,
    pub method: AuthMethod,
    pub retry: RetryPolicy,
    /// Where apps that sign with keys get their key file; `None` adds no keys.
    pub keys: Option<&'a KeyFiles>,
}

/// How one row's create (or claim) ended.
#[derive(Debug)]
pub(super) struct Answer {
    /// Its journal state.
    pub state: EntryState,
    pub client_id: Option<String>,
    /// A secret to write before the row is journalled as created.
    pub secret: Option<Secret>,
    pub status: RowStatus,
    /// The app to rename to the row's name once the row is journalled as created.
    pub rename: Option<String>,
    /// The key file written for the app.
    pub key_file: Option<std::path::PathBuf>,
    /// The server answered 429 or 5xx along the way (the import slows down).
    pub struggled: bool,
    /// An error the other rows would meet too: the import stops.
    pub stop: Option<crate::import::ImportError>,
    /// The failure in English, for the journal (the status has it in the language in use).
    pub stored_error: Option<String>,
}

impl Answer {
    pub(super) fn new(state: EntryState, client_id: Option<String>, status: RowStatus) -> Self {
        Self {
            state,
            client_id,
            secret: None,
            status,
            rename: None,
            key_file: None,
            struggled: false,
            stop: None,
            stored_error: None,
        }
    }

    /// A failed row: `why` is shown in the language in use and journalled in English.
    pub(super) fn failed(
        state: EntryState,
        client_id: Option<String>,
        why: impl Fn() -> String,
    ) -> Self {
        let (shown, stored) = crate::import::shown_and_stored(why);
        Self {
            stored_error: Some(stored),
            ..Self::new(state, client_id, RowStatus::Failed(shown))
        }
    }

    /// Created as `app`: journalled as created, then renamed.
    pub(super) fn ours(app: &ZitadelApp, secret: Option<Secret>, status: RowStatus) -> Self {
        Self {
            secret,
            rename: Some(app.app_id.clone()),
            ..Self::new(EntryState::Created, Some(app.client_id.clone()), status)
        }
    }

    fn struggled(mut self, struggled: bool) -> Self {
        self.struggled |= struggled;
        self
    }
}

/// How a rename ended: why the row failed, if it did, and whether the import must stop.
pub(super) struct Renamed {
    pub failed: Option<String>,
    pub stop: Option<crate::import::ImportError>,
}

/// The gRPC code name of ALREADY_EXISTS (6) in the client's errors.
const ALREADY_EXISTS: &str = "ALREADY_EXISTS";

impl Sender<'_> {
    /// Creates the row's app under its marker name, retrying within the policy and resolving
    /// a lost answer by the marker name.
    pub async fn create(&self, planned: &ZitadelPlannedRow) -> Answer {
        let marked = planned.marker_name();
        let mut attempt = 1;
        let mut maybe_sent = false;
        let mut struggled = false;
        loop {
            let error = match self
                .once
                .create_api_app(self.project, &marked, self.method)
                .await
            {
                Ok(created) => return self.created(created).await.struggled(struggled),
                Err(error) => error,
            };
            // Only this import creates under a marker name: the app there is its own.
            if error.code.as_deref() == Some(ALREADY_EXISTS) {
                return self.claim_by_marker(&marked).await.struggled(struggled);
            }
            struggled |= matches!(error.kind, ErrorKind::RateLimited | ErrorKind::Server);
            maybe_sent |= outcome_unknown(&error);
            if let Some(delay) = self.retry.delay_after(attempt, &error) {
                tokio::time::sleep(delay).await;
                attempt += 1;
                continue;
            }
            if maybe_sent {
                return Answer::failed(EntryState::Unknown, None, || {
                    crate::tr!(
                        "import-zitadel-outcome-unknown",
                        error = error.message.trim_end_matches('.'),
                        marked = marked.as_str()
                    )
                })
                .struggled(struggled);
            }
            return Answer {
                stop: stops_the_import(&error)
                    .then(|| crate::import::ImportError::worded(|| error.user_message())),
                ..Answer::failed(EntryState::Refused, None, || error.user_message())
            }
            .struggled(struggled);
        }
    }

    /// A create answered: its secret comes with it, except for key-signing apps (none) and a
    /// BASIC app whose answer had none (issued now: the app is certainly this import's).
    async fn created(&self, created: CreatedApp) -> Answer {
        let app = created.app();
        match (created.auth_method, created.client_secret) {
            (AuthMethod::Basic, Some(secret)) => {
                Answer::ours(&app, Some(secret), RowStatus::Created)
            }
            (AuthMethod::Basic, None) => self.issue_secret(app).await,
            (AuthMethod::PrivateKeyJwt, _) => self.give_key(&app, RowStatus::Created).await,
        }
    }

    /// A create that may have gone through, or answered "already exists": the app under the
    /// marker name is the one it created.
    async fn claim_by_marker(&self, marked: &str) -> Answer {
        match self.retried.find_app_by_name(self.project, marked).await {
            Ok(Some(app)) => self.issue_secret(app).await,
            Ok(None) => Answer::failed(EntryState::Unknown, None, || {
                crate::tr!("import-zitadel-exists-not-found", marked = marked)
            }),
            Err(error) => Answer::failed(EntryState::Unknown, None, || {
                crate::tr!(
                    "import-zitadel-lookup-failed",
                    error = error.message.trim_end_matches('.'),
                    marked = marked
                )
            }),
        }
    }

    /// Issues a new secret, once, for an app this import created (found under its marker
    /// name) without receiving its secret. The app must be what the import creates: an API app
    /// with the auth method asked for; anything else is left alone and reported.
    pub async fn issue_secret(&self, app: ZitadelApp) -> Answer {
        if app.kind != AppKind::Api || app.auth_method != Some(self.method) {
            return Answer::failed(EntryState::Refused, None, || match app.auth_method {
                Some(method) => crate::tr!(
                    "import-zitadel-wrong-app-signing",
                    name = app.name.as_str(),
                    kind = kind_key(app.kind),
                    method = method.label(),
                    expected = self.method.label()
                ),
                None => crate::tr!(
                    "import-zitadel-wrong-app",
                    name = app.name.as_str(),
                    kind = kind_key(app.kind),
                    expected = self.method.label()
                ),
            });
        }
        if self.method == AuthMethod::PrivateKeyJwt {
            return self.give_key(&app, RowStatus::Created).await;
        }
        match self
            .retried
            .regenerate_client_secret(self.project, &app)
            .await
        {
            Ok(secret) => Answer::ours(&app, Some(secret), RowStatus::Created),
            Err(error) => Answer::failed(EntryState::Unknown, Some(app.client_id.clone()), || {
                crate::tr!(
                    "import-zitadel-secret-not-issued",
                    client_id = app.client_id.as_str(),
                    name = app.name.as_str(),
                    error = error.message.trim_end_matches('.')
                )
            }),
        }
    }

    /// Gives an app this import made one key, its file in the keys folder, before the app is
    /// journalled as created (and so before its rename). A key file already there (an earlier
    /// run's) is kept. Otherwise any key the app has on the server is one whose file was never
    /// saved (a lost answer, a crash): the app is provably ours, so such keys are deleted, and
    /// one key is added and saved. Without a keys folder, no key is added.
    pub async fn give_key(&self, app: &ZitadelApp, done: RowStatus) -> Answer {
        let Some(keys) = self.keys else {
            return Answer::ours(app, None, done);
        };
        let path = keys.dir.join(key_file_name(&app.name, &app.client_id));
        if path.is_file() {
            return Answer {
                key_file: Some(path),
                ..Answer::ours(app, None, done)
            };
        }
        let unfinished = |why: String| {
            Answer::failed(EntryState::Unknown, Some(app.client_id.clone()), || {
                crate::tr!(
                    "import-zitadel-key-not-saved",
                    client_id = app.client_id.as_str(),
                    name = app.name.as_str(),
                    why = why.as_str()
                )
            })
        };
        let file = match NewKeyFile::create(&path) {
            Ok(file) => file,
            Err(why) => return unfinished(why),
        };
        let stale = match self.retried.list_app_keys(self.project, &app.app_id).await {
            Ok(stale) => stale,
            Err(error) => return unfinished(error.message),
        };
        for key in stale {
            if let Err(error) = self
                .retried
                .delete_app_key(self.project, &app.app_id, &key.id)
                .await
            {
                return unfinished(error.message);
            }
        }
        let added = match self
            .once
            .add_app_key(self.project, &app.app_id, keys.expiry)
            .await
        {
            Ok(added) => added,
            Err(error) => return unfinished(error.message),
        };
        if let Err(error) = file.finish(&added.file) {
            // No one can sign with it: the next run deletes it and adds another.
            return unfinished(error.to_string());
        }
        Answer {
            key_file: Some(path),
            ..Answer::ours(app, None, done)
        }
    }

    /// Renames the app `app_id` (this import's, its secret on disk) to the row's name. A name
    /// another app took meanwhile is reported, and both apps are left as they are.
    pub async fn rename(
        &self,
        planned: &ZitadelPlannedRow,
        app_id: &str,
        client_id: &str,
    ) -> Renamed {
        let marked = planned.marker_name();
        match self
            .retried
            .rename_app(self.project, app_id, &planned.name)
            .await
        {
            Ok(_) => Renamed {
                failed: None,
                stop: None,
            },
            Err(error) if error.code.as_deref() == Some(ALREADY_EXISTS) => Renamed {
                failed: Some(crate::tr!(
                    "import-zitadel-name-taken",
                    marked = marked.as_str(),
                    client_id = client_id
                )),
                stop: None,
            },
            Err(error) => Renamed {
                failed: Some(crate::tr!(
                    "import-zitadel-rename-failed",
                    marked = marked.as_str(),
                    client_id = client_id,
                    error = error.message.trim_end_matches('.')
                )),
                stop: stops_the_import(&error)
                    .then(|| crate::import::ImportError::worded(|| error.user_message())),
            },
        }
    }
}

/// A key file's name a person can match to its app: the app's name without its marker
/// (letters, digits, `-` and `_` kept, anything else a `-`, at most 60 characters), its client
/// id, `.json`.
pub fn key_file_name(name: &str, client_id: &str) -> String {
    let base = super::marker::without_marker(name)
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(60)
        .collect::<String>();
    let base = base.trim_matches('-');
    let id: String = client_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_' || *c == '@')
        .collect();
    if base.is_empty() {
        format!("{id}.json")
    } else {
        format!("{base}-{id}.json")
    }
}

/// The kind of an app as the catalog's messages select on it ("an API app", "an OIDC app", …).
fn kind_key(kind: AppKind) -> &'static str {
    match kind {
        AppKind::Api => "api",
        AppKind::Oidc => "oidc",
        AppKind::Saml => "saml",
        AppKind::Unknown => "other",
    }
}

/// Errors that every other row would meet too (the token, the permission, the project).
fn stops_the_import(error: &ApiError) -> bool {
    matches!(
        error.kind,
        ErrorKind::Unauthorized
            | ErrorKind::Forbidden
            | ErrorKind::NotFound
            | ErrorKind::Redirected
            | ErrorKind::Protocol
            | ErrorKind::TooLarge
            | ErrorKind::Tls
            | ErrorKind::Proxy
            | ErrorKind::UnknownHost
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_names_say_which_app() {
        assert_eq!(
            key_file_name("Billing API \u{b7}imp-7f3a", "3123456"),
            "Billing-API-3123456.json"
        );
        assert_eq!(key_file_name("결제/정산", "31"), "결제-정산-31.json");
        assert_eq!(key_file_name("../..", "../31"), "31.json");
        assert!(key_file_name(&"a".repeat(200), "1").len() < 70);
    }
}
