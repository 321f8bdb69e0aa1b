//! Which kind of workspace a connection reaches (a Hopae Connect workspace or a ZITADEL
//! instance), what each can do, and the one small enum over the two clients that the runtime
//! uses. Each client keeps its own wire types; a capability one backend lacks is shown as
//! absent, never as an error.

use crate::api::{ApiError, Client, Connection};
use crate::zitadel::{ZitadelClient, ZitadelConnection};

/// The kind of server behind a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Hopae,
    Zitadel,
}

/// What a backend can do; views show only what is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// Apps have redirect URIs the console edits.
    pub redirect_uris: bool,
    /// Apps have verification workflows to draw.
    pub workflows: bool,
    /// Apps have providers and a webhook to show.
    pub providers_and_webhook: bool,
    /// Apps can be deactivated and reactivated.
    pub activation: bool,
    /// A new app chooses how it authenticates (and only some methods have a secret).
    pub auth_method: bool,
    /// Apps belong to a project picked in the toolbar.
    pub projects: bool,
    /// The list exports to the import's CSV and to JSON.
    pub export: bool,
}

impl BackendKind {
    pub fn capabilities(self) -> Capabilities {
        match self {
            BackendKind::Hopae => Capabilities {
                redirect_uris: true,
                workflows: true,
                providers_and_webhook: true,
                activation: false,
                auth_method: false,
                projects: false,
                export: true,
            },
            BackendKind::Zitadel => Capabilities {
                redirect_uris: false,
                workflows: false,
                providers_and_webhook: false,
                activation: true,
                auth_method: true,
                projects: true,
                export: false,
            },
        }
    }

    /// The name people know it by.
    pub fn label(self) -> &'static str {
        match self {
            BackendKind::Hopae => "Hopae Connect",
            BackendKind::Zitadel => "ZITADEL",
        }
    }
}

/// A checked connection to either kind of server.
#[derive(Debug, Clone)]
pub enum WorkspaceConnection {
    Hopae(Connection),
    Zitadel(ZitadelConnection),
}

impl WorkspaceConnection {
    pub fn kind(&self) -> BackendKind {
        match self {
            WorkspaceConnection::Hopae(_) => BackendKind::Hopae,
            WorkspaceConnection::Zitadel(_) => BackendKind::Zitadel,
        }
    }
}

/// The client of the workspace in use. Cheap to clone.
#[derive(Debug, Clone)]
pub enum WorkspaceClient {
    Hopae(Client),
    Zitadel(ZitadelClient),
}

impl WorkspaceClient {
    pub fn new(connection: WorkspaceConnection) -> Result<Self, ApiError> {
        Ok(match connection {
            WorkspaceConnection::Hopae(c) => WorkspaceClient::Hopae(Client::new(c)?),
            WorkspaceConnection::Zitadel(c) => WorkspaceClient::Zitadel(ZitadelClient::new(c)?),
        })
    }

    pub fn kind(&self) -> BackendKind {
        match self {
            WorkspaceClient::Hopae(_) => BackendKind::Hopae,
            WorkspaceClient::Zitadel(_) => BackendKind::Zitadel,
        }
    }
}
