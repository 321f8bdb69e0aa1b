//! Windows only (compiled there, not on the build machine of the tests): the private data folder
//! under `%LOCALAPPDATA%`, closed to other accounts by its access list, and the move of files
//! from the folder earlier versions used (`%APPDATA%`).

use std::path::Path;
use std::process::{Command, Stdio};

/// Opens a symbolic link or junction itself instead of what it points to, so the regular-file
/// check refuses it (`FILE_FLAG_OPEN_REPARSE_POINT`).
pub const OPEN_REPARSE_POINT: u32 = 0x0020_0000;

/// Leaves `dir` with one entry in its access list: this account, full control, inherited by
/// everything created in it. Inherited entries (other users, administrators' groups) are
/// removed. `icacls` ships with every Windows since Vista, which spares a dependency.
pub fn restrict_to_owner(dir: &Path) -> std::io::Result<()> {
    let user = std::env::var("USERNAME")
        .map_err(|_| std::io::Error::other(crate::tr!("import-windows-no-username")))?;
    let account = match std::env::var("USERDOMAIN") {
        Ok(domain) if !domain.is_empty() => format!("{domain}\\{user}"),
        _ => user,
    };
    let status = Command::new("icacls")
        .arg(dir)
        .args(["/inheritance:r", "/grant:r"])
        .arg(format!("{account}:(OI)(CI)F"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(std::io::Error::other(crate::tr!(
            "import-windows-icacls-failed",
            path = dir.display().to_string()
        )))
    }
}

/// On the first start after the move: `old` (under `%APPDATA%`) becomes `new` (under
/// `%LOCALAPPDATA%`), unless `new` exists already. Best effort: a failed move leaves the old
/// folder where it was, and nothing in it is lost.
pub fn move_old_data(old: &Path, new: &Path) {
    if !old.is_dir() || new.exists() {
        return;
    }
    if let Some(parent) = new.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    if std::fs::rename(old, new).is_ok() {
        let _ = restrict_to_owner(new);
    }
}
