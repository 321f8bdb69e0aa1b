//! Which workspaces are production: every write there is confirmed first, in the console with a
//! question and on the command line at a terminal or with `--yes`.

use crate::api::Environment;
use crate::backends::ConnectionInfo;

/// Whether a write to a workspace must be confirmed first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmation {
    NotNeeded,
    /// Changes reach real customers at once; `place` names the workspace.
    Needed {
        place: String,
    },
}

impl Confirmation {
    /// Whether a write must be confirmed first.
    pub fn is_needed(&self) -> bool {
        matches!(self, Confirmation::Needed { .. })
    }
}

/// The confirmation policy of a workspace.
pub fn confirmation(info: &ConnectionInfo) -> Confirmation {
    if info.environment == Environment::Production {
        let place = if info.host.is_empty() {
            crate::tr!("ops-the-workspace")
        } else {
            info.host.clone()
        };
        Confirmation::Needed { place }
    } else {
        Confirmation::NotNeeded
    }
}
