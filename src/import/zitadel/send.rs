//! One row's calls to ZITADEL: create the API app, resolve a create whose answer was lost, and
//! issue the secret of an app this import created without receiving it.
//!
//! ZITADEL has no idempotency key, so a create is sent again after a failure and its answer
//! read by the name rule: names are unique per project, and the planner sent only names that
//! were free. "Already exists" after an attempt that may have reached the server therefore
//! means that attempt created the app: it is looked up by name and its secret regenerated once.
//! "Already exists" on a first attempt means someone else took the name meanwhile: that app is
//! left alone.

use crate::api::{ApiError, ErrorKind, RetryPolicy};
use crate::import::journal::EntryState;
use crate::import::report::RowStatus;
use crate::secret::Secret;
use crate::zitadel::{AppKind, AuthMethod, CreatedApp, ZitadelApp, ZitadelClient, outcome_unknown};

/// What a row's calls need.
pub(super) struct Sender<'a> {
    /// For creates: sends once, since this module decides about every retry.
    pub once: ZitadelClient,
    /// For lookups and secrets, which are safe to retry.
    pub retried: ZitadelClient,
    pub project: &'a str,
    pub method: AuthMethod,
    pub retry: RetryPolicy,
}

/// How one row ended.
#[derive(Debug)]
pub(super) struct Answer {
    /// Its journal state.
    pub state: EntryState,
    pub client_id: Option<String>,
    /// A secret to write before the row is journalled as created.
    pub secret: Option<Secret>,
    pub status: RowStatus,
    /// The server answered 429 or 5xx along the way (the import slows down).
    pub struggled: bool,
    /// An error the other rows would meet too: the import stops.
    pub stop: Option<String>,
}

impl Answer {
    fn new(state: EntryState, client_id: Option<String>, status: RowStatus) -> Self {
        Self {
            state,
            client_id,
            secret: None,
            status,
            struggled: false,
            stop: None,
        }
    }

    fn struggled(mut self, struggled: bool) -> Self {
        self.struggled |= struggled;
        self
    }
}

/// The gRPC code name of ALREADY_EXISTS (6) in the client's errors.
const ALREADY_EXISTS: &str = "ALREADY_EXISTS";

impl Sender<'_> {
    /// Creates the app named `name`, retrying within the policy and resolving a lost answer.
    pub async fn create(&self, name: &str) -> Answer {
        let mut attempt = 1;
        let mut maybe_sent = false;
        let mut struggled = false;
        loop {
            let error = match self
                .once
                .create_api_app(self.project, name, self.method)
                .await
            {
                Ok(created) => return self.created(created).await.struggled(struggled),
                Err(error) => error,
            };
            if error.code.as_deref() == Some(ALREADY_EXISTS) {
                let answer = if maybe_sent {
                    self.claim_by_name(name).await
                } else {
                    Answer::new(
                        EntryState::Refused,
                        None,
                        RowStatus::Exists(
                            "An app with this name was added to the project while the import \
                             ran; it was left as it is, and its secret was not changed"
                                .into(),
                        ),
                    )
                };
                return answer.struggled(struggled);
            }
            struggled |= matches!(error.kind, ErrorKind::RateLimited | ErrorKind::Server);
            maybe_sent |= outcome_unknown(&error);
            if let Some(delay) = self.retry.delay_after(attempt, &error) {
                tokio::time::sleep(delay).await;
                attempt += 1;
                continue;
            }
            if maybe_sent {
                return Answer::new(
                    EntryState::Unknown,
                    None,
                    RowStatus::Failed(format!(
                        "{}. It is not known whether the app was created. Run the import \
                         again: it looks the name up, so nothing is created twice",
                        error.message.trim_end_matches('.')
                    )),
                )
                .struggled(struggled);
            }
            return Answer {
                stop: stops_the_import(&error).then(|| error.user_message()),
                ..Answer::new(
                    EntryState::Refused,
                    None,
                    RowStatus::Failed(error.user_message()),
                )
            }
            .struggled(struggled);
        }
    }

    /// A create answered: its secret comes with it, except for key-signing apps (none) and a
    /// BASIC app whose answer had none (issued now: the app is certainly this import's).
    async fn created(&self, created: CreatedApp) -> Answer {
        match (created.auth_method, created.client_secret) {
            (AuthMethod::Basic, Some(secret)) => Answer {
                secret: Some(secret),
                ..Answer::new(
                    EntryState::Created,
                    Some(created.client_id),
                    RowStatus::Created,
                )
            },
            (AuthMethod::Basic, None) => {
                let app = CreatedApp {
                    client_secret: None,
                    ..created
                }
                .app();
                self.issue_secret(app).await
            }
            (AuthMethod::PrivateKeyJwt, _) => Answer::new(
                EntryState::Created,
                Some(created.client_id),
                RowStatus::Created,
            ),
        }
    }

    /// A create that may have gone through answered "already exists": the app with the name is
    /// the one it created.
    async fn claim_by_name(&self, name: &str) -> Answer {
        match self.retried.find_app_by_name(self.project, name).await {
            Ok(Some(app)) => self.issue_secret(app).await,
            Ok(None) => Answer::new(
                EntryState::Unknown,
                None,
                RowStatus::Failed(
                    "ZITADEL said an app with this name exists, but none was found by that name. \
                     Run the import again: it looks the name up again and creates nothing twice"
                        .into(),
                ),
            ),
            Err(error) => Answer::new(
                EntryState::Unknown,
                None,
                RowStatus::Failed(format!(
                    "The answer to the create was lost, and the app could not be looked up: {}. \
                     Run the import again: it looks the name up, so nothing is created twice",
                    error.message.trim_end_matches('.')
                )),
            ),
        }
    }

    /// Issues a new secret, once, for an app this import created without receiving its secret.
    /// An app that signs with keys has none to issue; an app of another kind is not this
    /// import's (it creates only API apps) and is left alone.
    pub async fn issue_secret(&self, app: ZitadelApp) -> Answer {
        match (app.kind, app.auth_method) {
            (AppKind::Api, Some(AuthMethod::Basic)) => {
                match self
                    .retried
                    .regenerate_client_secret(self.project, &app)
                    .await
                {
                    Ok(secret) => Answer {
                        secret: Some(secret),
                        ..Answer::new(EntryState::Created, Some(app.client_id), RowStatus::Created)
                    },
                    Err(error) => Answer::new(
                        EntryState::Unknown,
                        Some(app.client_id.clone()),
                        RowStatus::Failed(format!(
                            "Created as {}, but its secret could not be issued: {}. Run the \
                             import again: it issues the secret then",
                            app.client_id,
                            error.message.trim_end_matches('.')
                        )),
                    ),
                }
            }
            (AppKind::Api, Some(AuthMethod::PrivateKeyJwt)) => {
                Answer::new(EntryState::Created, Some(app.client_id), RowStatus::Created)
            }
            _ => Answer::new(
                EntryState::Refused,
                None,
                RowStatus::Exists(format!(
                    "The name is taken by {} app {} that this import did not create; it was \
                     left as it is",
                    article(app.kind),
                    app.client_id
                )),
            ),
        }
    }
}

fn article(kind: AppKind) -> String {
    match kind {
        AppKind::Api => "an API".into(),
        AppKind::Oidc => "an OIDC".into(),
        AppKind::Saml => "a SAML".into(),
        AppKind::Unknown => "another kind of".into(),
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
