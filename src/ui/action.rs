//! `Action`: what a view asks the shell to do after a frame. Views never act themselves; the
//! shell turns each action into a change of state, a command for the runtime, or both.

use std::time::Duration;

use super::command::UiCommand;
use crate::backends::BackendKind;
use crate::runtime::{OpId, Write};
use crate::secret::Secret;

#[derive(Debug)]
#[must_use]
pub enum Action {
    /// A command from the list (toolbar, palette, menu).
    Command(UiCommand),
    Select(String),
    /// Selects an app and scrolls the list to it (the palette's "Open <app>").
    OpenApp(String),
    /// Copies text that is not secret, and confirms it briefly.
    Copy {
        text: String,
        confirmation: String,
    },
    /// A change to the workspace (confirmed first in production).
    Write(Write),
    /// A change the user has just confirmed for production.
    ConfirmedWrite(Write),
    AskRotate(String),
    /// Asks before issuing a new webhook signing secret for this app.
    AskRotateWebhook(String),
    /// Reads the provider catalog of this app (again).
    LoadProviders(String),
    /// Reads the keys of this app (again).
    LoadKeys(String),
    /// Asks before deleting a key.
    AskDeleteKey {
        app_id: String,
        key_id: String,
    },
    /// Asks where to save a new key's file, then adds the key.
    ChooseKeyFile {
        app_id: String,
        default_name: String,
        expiry: crate::backends::keys::KeyExpiry,
    },
    Retry(OpId),
    Dismiss(OpId),
    DismissNotice,
    /// Stops a call that is taking too long.
    Cancel(OpId),
    OpenWorkflow {
        client_id: String,
        index: usize,
    },
    /// Copies the shown secret, alone or under its client id as two labelled lines.
    SecretCopy {
        with_client_id: bool,
    },
    SecretAcknowledge(bool),
    SecretClose,
    Connect {
        backend: BackendKind,
        base_url: String,
        key: Option<Secret>,
        /// The organisation to act in, where keys may act in several; `None` is the key's own.
        org_id: Option<String>,
        /// A certificate authority file to trust besides the system's.
        ca_file: Option<std::path::PathBuf>,
    },
    /// Asks for a certificate authority file in a native dialog, for the connection dialog.
    ChooseCaFile,
    /// Where apps live in projects: show the apps of this one.
    PickProject(String),
    /// Speaks another language from now on (the toolbar's picker).
    SetLanguage(crate::i18n::LanguageChoice),
    /// Ask before deactivating (`active: false`) or reactivating an app.
    AskSetActive {
        app_id: String,
        active: bool,
    },
    /// Shows another workflow of the app whose graph is open.
    ShowWorkflow(usize),
    /// Shows another tab of the app's details (asking first about unsaved edits).
    ShowDetailsTab(super::details::DetailsTab),
    /// The answer to "Unsaved changes to NAME".
    AnswerUnsaved(UnsavedAnswer),
    DismissMessage,
    UseLocalSandbox,
    /// How long a call may take, retries included, before it gives up.
    SetDeadline(Duration),
}

/// The choices of the unsaved-changes question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnsavedAnswer {
    Save,
    Discard,
    KeepEditing,
}

/// What a full-window view (the import, a graph, the activity log) returns from a frame: work
/// for the runtime, actions for the shell, and whether the user asked to close it.
#[derive(Debug, Default)]
#[must_use]
pub struct ViewOutput {
    pub close: bool,
    pub commands: Vec<crate::runtime::Command>,
    pub actions: Vec<Action>,
}
