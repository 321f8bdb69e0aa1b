//! The one enum naming the kinds of backend, and the capabilities a backend answers with.
//! Views, the activity log, settings and the command line all use these; none asks which
//! client sits behind a connection.

use serde::{Deserialize, Serialize};

/// The kind of server behind a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    /// A Hopae Connect workspace (Workspace API).
    Hopae,
    /// A ZITADEL instance (management API v1), apps grouped in projects.
    Zitadel,
    /// The in-memory workspace of tests: no network, same rules as the sandbox.
    #[value(skip)]
    Memory,
}

impl BackendKind {
    /// Every kind, so a test over all of them cannot miss a new one (each sits at its
    /// [`BackendKind::index`], an exhaustive match, checked by a test).
    pub const ALL: [BackendKind; 3] = [
        BackendKind::Hopae,
        BackendKind::Zitadel,
        BackendKind::Memory,
    ];

    /// Its place in [`BackendKind::ALL`]; a new kind does not compile until it has one.
    pub const fn index(self) -> usize {
        match self {
            BackendKind::Hopae => 0,
            BackendKind::Zitadel => 1,
            BackendKind::Memory => 2,
        }
    }

    /// Every set of capabilities a backend of this kind can answer with (the in-memory one
    /// takes either shape).
    pub fn capability_sets(self) -> &'static [Capabilities] {
        match self {
            BackendKind::Hopae => &[Capabilities::WORKSPACE],
            BackendKind::Zitadel => &[Capabilities::PROJECT],
            BackendKind::Memory => &[
                crate::backends::memory::WORKSPACE_CAPABILITIES,
                crate::backends::memory::PROJECT_CAPABILITIES,
            ],
        }
    }

    /// The name people know it by (product names stay as they are).
    pub fn label(self) -> String {
        match self {
            BackendKind::Hopae => "Hopae Connect".to_owned(),
            BackendKind::Zitadel => "ZITADEL".to_owned(),
            BackendKind::Memory => crate::tr!("backend-kind-memory"),
        }
    }

    /// The name stored in the activity log, settings and journals; never translated.
    pub fn as_str(self) -> &'static str {
        match self {
            BackendKind::Hopae => "hopae",
            BackendKind::Zitadel => "zitadel",
            BackendKind::Memory => "memory",
        }
    }

    /// Reads a stored name back.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// What a backend can do; views show only what is there, and never show an absent operation
/// as broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// Apps have redirect URIs the console edits.
    pub redirect_uris: bool,
    /// Apps have verification workflows to draw.
    pub workflows: bool,
    /// Apps have a webhook to show and change.
    pub webhook: bool,
    /// Apps have identity providers with an activation status.
    pub providers: bool,
    /// Apps can be deactivated and reactivated.
    pub activation: bool,
    /// A new app chooses how it authenticates (and only some methods have a secret).
    pub auth_methods: bool,
    /// Apps belong to a scope (a ZITADEL project) picked in the toolbar.
    pub scopes: bool,
    /// Two apps may share a name (the import then needs an identity other than the name).
    pub duplicate_names: bool,
    /// Creates carry an idempotency key, so a retried create never makes a second app.
    pub idempotent_create: bool,
    /// The list exports to the import's CSV and to JSON.
    pub export: bool,
    /// A CSV file can be imported.
    pub import: bool,
    /// The longest app name the backend takes, in characters.
    pub max_name_chars: usize,
    /// Apps that sign in with a private key JWT have keys to list, add and delete.
    pub app_keys: bool,
}

impl Capabilities {
    /// A Hopae Connect workspace's set.
    pub const WORKSPACE: Capabilities = Capabilities {
        redirect_uris: true,
        workflows: true,
        webhook: true,
        providers: true,
        activation: false,
        auth_methods: false,
        scopes: false,
        duplicate_names: true,
        idempotent_create: true,
        export: true,
        import: true,
        max_name_chars: 100,
        app_keys: false,
    };

    /// A ZITADEL project's set.
    pub const PROJECT: Capabilities = Capabilities {
        redirect_uris: false,
        workflows: false,
        webhook: false,
        providers: false,
        activation: true,
        auth_methods: true,
        scopes: true,
        duplicate_names: false,
        idempotent_create: false,
        export: false,
        import: true,
        max_name_chars: 200,
        app_keys: true,
    };

    /// An app name trimmed, or why this backend cannot take it.
    pub fn check_name(&self, name: &str) -> Result<String, String> {
        crate::api::check_app_name(name, self.max_name_chars)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_limits_match_the_clients() {
        assert_eq!(
            Capabilities::WORKSPACE.max_name_chars,
            crate::api::MAX_NAME_CHARS
        );
        assert_eq!(
            Capabilities::PROJECT.max_name_chars,
            crate::zitadel::MAX_NAME_CHARS
        );
    }

    #[test]
    fn every_kind_is_listed_in_place() {
        for (i, kind) in BackendKind::ALL.into_iter().enumerate() {
            assert_eq!(kind.index(), i, "{kind:?} is out of place in ALL");
        }
    }

    #[test]
    fn stored_names_read_back() {
        for kind in BackendKind::ALL {
            assert_eq!(BackendKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(BackendKind::parse("Hopae"), None);
    }
}
