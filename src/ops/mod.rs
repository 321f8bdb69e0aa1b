//! Every write to a workspace, shared by the console's runtime and the command line, so the two
//! cannot behave differently for the same operation.
//!
//! | module | owns |
//! |---|---|
//! | `write` | [`Write`] (what to change) and [`Outcome`] (what came back), with their words |
//! | `confirm` | which workspaces are production, so every write there is confirmed first |
//! | `perform` | sending a write, recording it in the activity log, recovering a lost answer |
//! | `import_entry` | the one activity entry of an import run |
//! | `key_file` | adding an app key into a new owner-only file, and taking it back if the file fails |

mod confirm;
mod import_entry;
mod key_file;
mod perform;
mod write;

pub use confirm::{Confirmation, confirmation};
pub use import_entry::import_entry;
pub use key_file::{KeyInFile, NewKeyFile, add_key_to_file, describe_keys};
pub use perform::{LOST_CREATE_FOUND, Performed, WORKFLOW_CHANGED, perform, record};
pub use write::{Outcome, Write};
