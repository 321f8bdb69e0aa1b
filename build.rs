//! Build script: the version string `--version` prints (the package version and, in a git
//! checkout, the short commit it was built from), and for Windows the executable's icon and
//! version information. No dependency outside Windows.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let build_version = match short_commit() {
        Some(commit) => format!("{version} ({commit})"),
        None => version,
    };
    println!("cargo:rustc-env=CONNECT_BUILD_VERSION={build_version}");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("windows") {
        windows::embed_resources(&build_version);
    }
}

/// The short commit of a git checkout, or `None` (no `.git`, no git, or git failed). Asks to
/// run again when HEAD moves or the branch it names gets a new commit, and only then.
fn short_commit() -> Option<String> {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    if !dir.join(".git").exists() {
        return None;
    }
    let commit = git(&dir, &["rev-parse", "--short", "HEAD"])?;
    watch(&dir, "HEAD");
    if let Some(branch) = git(&dir, &["symbolic-ref", "--quiet", "HEAD"]) {
        watch(&dir, &branch);
        watch(&dir, "packed-refs");
    }
    Some(commit)
}

/// Tells cargo to run again when this file of the git directory changes, if it exists (a
/// missing file would make every build run this script again).
fn watch(dir: &Path, git_path: &str) {
    if let Some(path) = git(dir, &["rev-parse", "--git-path", git_path]) {
        let path = dir.join(path);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}

/// One line of git's output, or `None` when git is missing or fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

#[cfg(windows)]
mod windows {
    /// The icon (16, 32, 48 and 256 px) and the version information of the Windows executable.
    pub fn embed_resources(build_version: &str) {
        let icon = "assets/icons/connect-console.ico";
        println!("cargo:rerun-if-changed={icon}");
        let mut resource = winresource::WindowsResource::new();
        resource
            .set_icon(icon)
            .set("ProductName", "Connect Console")
            .set("FileDescription", "Connect Console")
            .set("ProductVersion", build_version);
        if let Err(error) = resource.compile() {
            eprintln!("could not embed the icon and version in the executable: {error}");
            std::process::exit(1);
        }
    }
}

#[cfg(not(windows))]
mod windows {
    /// Building for Windows elsewhere: the resource compiler is a Windows build dependency.
    pub fn embed_resources(_build_version: &str) {
        println!(
            "cargo:warning=the icon and version information are embedded only when building on Windows"
        );
    }
}
