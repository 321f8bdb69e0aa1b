//! `AppState`: the plain data the views draw, changed only by [`AppState::apply`].

use std::time::Instant;

use zeroize::Zeroize;

use crate::api::{ApiError, App, Connection};
use crate::runtime::{Command, Event};
use crate::secret::Secret;
use crate::settings::KeyStorage;

/// Where the app list stands.
#[derive(Debug)]
pub enum LoadState {
    Loading {
        loaded: usize,
        total: Option<usize>,
    },
    Ready,
    /// The last load failed; the previous rows stay visible beside the error.
    Failed(ApiError),
}

/// The "create app" dialog while it is open.
#[derive(Debug)]
pub struct CreateDialog {
    pub name: String,
    /// One key per user action: a retry of the same name reuses it, so nothing is created twice.
    pub idempotency_key: String,
    pub key_for_name: String,
    pub pending: bool,
    pub error: Option<ApiError>,
}

/// Why a secret is being shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretReason {
    Created,
    Rotated,
}

/// The once-only secret dialog. Dropping it zeroizes the secret.
#[derive(Debug)]
pub struct SecretDialog {
    pub client_id: String,
    pub app_name: String,
    pub secret: Secret,
    pub reason: SecretReason,
    pub copied_at: Option<Instant>,
    pub acknowledged: bool,
    pub copy_error: Option<String>,
}

/// A failure shown in the notice bar, with what was being done.
#[derive(Debug)]
pub struct Notice {
    pub title: String,
    pub error: ApiError,
    /// The command to send again when the failure may pass (network, server busy).
    pub retry: Option<Command>,
}

impl Notice {
    pub fn new(title: impl Into<String>, error: ApiError) -> Self {
        Self {
            title: title.into(),
            error,
            retry: None,
        }
    }
}

/// A write to a production workspace, waiting for the user's confirmation.
#[derive(Debug)]
pub struct PendingWrite {
    /// What will change, in words: "Rename app X to Y".
    pub summary: String,
    pub command: Command,
}

/// Which workspace address the connection dialog starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    HopaeSandbox,
    HopaeProduction,
    Custom,
}

/// The connection dialog while it is open. The typed key is wiped when it closes.
#[derive(Debug)]
pub struct ConnectDialog {
    pub preset: Preset,
    pub base_url: String,
    pub api_key: String,
    pub pending: bool,
    pub error: Option<ApiError>,
}

impl Drop for ConnectDialog {
    fn drop(&mut self) {
        self.api_key.zeroize();
    }
}

/// Everything the views draw.
#[derive(Debug)]
pub struct AppState {
    /// Apps without their secrets: the list and details never hold one.
    pub apps: Vec<App>,
    /// Bumped on every change of `apps`, so views can cache filtered rows.
    pub revision: u64,
    pub load: LoadState,
    pub selected: Option<String>,
    pub create: Option<CreateDialog>,
    pub secret: Option<SecretDialog>,
    /// Client id whose rotation awaits confirmation.
    pub confirm_rotate: Option<String>,
    /// Client id whose rename or rotation is in flight.
    pub busy: Option<String>,
    pub notice: Option<Notice>,
    /// The last write sent, offered again by Retry if it fails on the way.
    pub last_write: Option<Command>,
    pub confirm_write: Option<PendingWrite>,
    pub connect: Option<ConnectDialog>,
    /// A workspace that answered; the shell switches to it on the next frame.
    pub connected: Option<(Connection, KeyStorage)>,
    /// Where the current workspace's key is kept, when it is not the local sandbox.
    pub key_storage: Option<KeyStorage>,
}

impl Default for AppState {
    fn default() -> Self {
        Self {
            apps: Vec::new(),
            revision: 0,
            load: LoadState::Loading {
                loaded: 0,
                total: None,
            },
            selected: None,
            create: None,
            secret: None,
            confirm_rotate: None,
            busy: None,
            notice: None,
            last_write: None,
            confirm_write: None,
            connect: None,
            connected: None,
            key_storage: None,
        }
    }
}

impl AppState {
    pub fn selected_app(&self) -> Option<&App> {
        let id = self.selected.as_deref()?;
        self.apps.iter().find(|a| a.client_id == id)
    }

    /// True while any modal dialog is open.
    pub fn modal_open(&self) -> bool {
        self.create.is_some()
            || self.secret.is_some()
            || self.confirm_rotate.is_some()
            || self.confirm_write.is_some()
            || self.connect.is_some()
    }

    /// A notice for a failed write, with Retry when trying again may work.
    fn write_failed(&mut self, title: String, error: ApiError) {
        let retry = self.last_write.take().filter(|_| error.is_retryable());
        self.notice = Some(Notice {
            title,
            error,
            retry,
        });
    }

    /// Applies one event from the background.
    pub fn apply(&mut self, event: Event) {
        match event {
            Event::AppsProgress { loaded, total } => {
                self.load = LoadState::Loading { loaded, total }
            }
            Event::AppsLoaded(apps) => {
                // Taken over, not cloned: a second copy of 10,000 apps would double the memory.
                self.apps = apps;
                for app in &mut self.apps {
                    app.client_secret = None;
                }
                crate::ui::memory::release_free_memory();
                self.revision += 1;
                self.load = LoadState::Ready;
                // Open on the first app so the details panel is never empty when there are apps.
                if self.selected_app().is_none() {
                    self.selected = self.apps.first().map(|a| a.client_id.clone());
                }
            }
            Event::AppsFailed(error) => self.load = LoadState::Failed(error),
            Event::AppCreated(mut app) => {
                self.last_write = None;
                self.create = None;
                let secret = app.client_secret.take();
                self.selected = Some(app.client_id.clone());
                match secret {
                    Some(secret) => self.open_secret(&app, secret, SecretReason::Created),
                    None => {
                        self.notice = Some(Notice::new(
                            format!(
                                "\"{}\" was created, but the server did not return its secret",
                                app.name
                            ),
                            ApiError::local(
                                "Rotate the secret from the app's details to get a new one",
                            ),
                        ));
                    }
                }
                self.apps.push(app);
                self.revision += 1;
            }
            Event::CreateFailed(error) => match &mut self.create {
                Some(dialog) => {
                    dialog.pending = false;
                    dialog.error = Some(error);
                }
                None => self.write_failed("The app could not be created".into(), error),
            },
            Event::AppRenamed(app) => {
                self.last_write = None;
                self.busy = None;
                if let Some(row) = self.apps.iter_mut().find(|a| a.client_id == app.client_id) {
                    *row = app.without_secret();
                    self.revision += 1;
                }
            }
            Event::RenameFailed { client_id, error } => {
                self.busy = None;
                self.write_failed(format!("The name of {client_id} was not changed"), error);
            }
            Event::SecretRotated { client_id, secret } => {
                self.last_write = None;
                self.busy = None;
                let name = self
                    .apps
                    .iter()
                    .find(|a| a.client_id == client_id)
                    .map(|a| a.name.clone())
                    .unwrap_or_default();
                self.secret = Some(SecretDialog {
                    client_id,
                    app_name: name,
                    secret,
                    reason: SecretReason::Rotated,
                    copied_at: None,
                    acknowledged: false,
                    copy_error: None,
                });
            }
            Event::RotateFailed { client_id, error } => {
                self.busy = None;
                self.write_failed(
                    format!(
                        "The secret of {client_id} was not rotated; the current secret still works"
                    ),
                    error,
                );
            }
            Event::RedirectUrisSaved { client_id, uris } => {
                self.last_write = None;
                self.busy = None;
                if let Some(row) = self.apps.iter_mut().find(|a| a.client_id == client_id) {
                    row.redirect_uris = uris;
                    self.revision += 1;
                }
            }
            Event::RedirectUrisFailed { client_id, error } => {
                self.busy = None;
                self.write_failed(
                    format!("The redirect URIs of {client_id} were not saved"),
                    error,
                );
            }
            Event::Connected {
                connection,
                storage,
            } => {
                self.connect = None;
                self.connected = Some((connection, storage));
            }
            Event::ConnectFailed(error) => match &mut self.connect {
                Some(dialog) => {
                    dialog.pending = false;
                    dialog.error = Some(error);
                }
                None => self.notice = Some(Notice::new("Could not connect", error)),
            },
        }
    }

    fn open_secret(&mut self, app: &App, secret: Secret, reason: SecretReason) {
        self.secret = Some(SecretDialog {
            client_id: app.client_id.clone(),
            app_name: app.name.clone(),
            secret,
            reason,
            copied_at: None,
            acknowledged: false,
            copy_error: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(id: &str, name: &str) -> App {
        App {
            client_id: id.into(),
            name: name.into(),
            client_secret: Some(Secret::new("FAKE_SECRET_FOR_STATE_TEST")),
            ..App::default()
        }
    }

    #[test]
    fn loaded_apps_hold_no_secrets() {
        let mut state = AppState::default();
        state.apply(Event::AppsLoaded(vec![app("A1", "One")]));
        assert!(matches!(state.load, LoadState::Ready));
        assert!(state.apps[0].client_secret.is_none());
    }

    #[test]
    fn create_selects_the_app_and_opens_the_secret_dialog() {
        let mut state = AppState::default();
        state.apply(Event::AppsLoaded(vec![]));
        state.apply(Event::AppCreated(app("N1", "New")));
        assert_eq!(state.selected.as_deref(), Some("N1"));
        let dialog = state.secret.as_ref().unwrap();
        assert_eq!(dialog.secret.expose(), "FAKE_SECRET_FOR_STATE_TEST");
        assert!(state.apps[0].client_secret.is_none());
    }

    #[test]
    fn failures_keep_previous_rows() {
        let mut state = AppState::default();
        state.apply(Event::AppsLoaded(vec![app("A1", "One")]));
        state.apply(Event::AppsFailed(ApiError::local("offline")));
        assert_eq!(state.apps.len(), 1);
        state.apply(Event::RenameFailed {
            client_id: "A1".into(),
            error: ApiError::local("no"),
        });
        assert!(state.notice.is_some());
        assert_eq!(state.apps[0].name, "One");
    }
}
