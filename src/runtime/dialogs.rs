//! Native open/save dialogs (rfd's async dialogs, run on the background runtime so the window
//! never freezes) and the file manager, behind a trait, so tests answer with prepared paths
//! instead.

use std::collections::VecDeque;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::command::DialogRequest;

/// How a dialog ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogAnswer {
    Chosen(PathBuf),
    Cancelled,
    /// No dialog could be shown on this system.
    Unavailable,
}

pub type DialogFuture = Pin<Box<dyn Future<Output = DialogAnswer> + Send>>;

/// Shows an open or save dialog and answers later.
pub trait FileDialogs: Send + Sync {
    fn show(&self, request: &DialogRequest) -> DialogFuture;
    /// Shows `folder` in the system's file manager; blocks until the opener has started.
    fn open_folder(&self, folder: &Path) -> Result<(), String>;
}

/// The platform's dialogs (the XDG portal, or zenity, on Linux).
#[derive(Debug, Default, Clone, Copy)]
pub struct NativeDialogs;

/// An answer faster than this cannot be a person's: the dialog never opened.
const NO_DIALOG_WITHIN: Duration = Duration::from_millis(250);

impl FileDialogs for NativeDialogs {
    fn open_folder(&self, folder: &Path) -> Result<(), String> {
        #[cfg(target_os = "macos")]
        let opener = "open";
        #[cfg(target_os = "windows")]
        let opener = "explorer";
        #[cfg(not(any(target_os = "macos", target_os = "windows")))]
        let opener = "xdg-open";
        let status = std::process::Command::new(opener)
            .arg(folder)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .map_err(|e| {
                crate::tr!(
                    "runtime-no-file-manager",
                    opener = opener,
                    error = e.to_string()
                )
            })?;
        // Explorer answers 1 even when it opened the folder.
        if status.success() || cfg!(target_os = "windows") {
            Ok(())
        } else {
            Err(crate::tr!(
                "runtime-file-manager-failed",
                opener = opener,
                status = status.to_string()
            ))
        }
    }

    fn show(&self, request: &DialogRequest) -> DialogFuture {
        if !dialogs_possible() {
            return Box::pin(async { DialogAnswer::Unavailable });
        }
        let dialog = request.filters.iter().fold(
            rfd::AsyncFileDialog::new().set_title(&request.title),
            |d, f| d.add_filter(filter_name(f.name), f.extensions),
        );
        let started = Instant::now();
        let pending = if request.save {
            Box::pin(dialog.set_file_name(&request.default_name).save_file())
                as Pin<Box<dyn Future<Output = Option<rfd::FileHandle>> + Send>>
        } else {
            Box::pin(dialog.pick_file())
        };
        Box::pin(async move {
            match pending.await {
                Some(handle) => DialogAnswer::Chosen(handle.path().to_path_buf()),
                // rfd says nothing when neither the portal nor zenity could show a dialog.
                None if started.elapsed() < NO_DIALOG_WITHIN => DialogAnswer::Unavailable,
                None => DialogAnswer::Cancelled,
            }
        })
    }
}

/// A file type's name as the dialog shows it, in the calling thread's language (the views name
/// file types in English constants).
fn filter_name(name: &str) -> String {
    match name {
        "CSV files" => crate::tr!("runtime-filter-csv"),
        "All files" => crate::tr!("runtime-filter-all"),
        "PNG image" => crate::tr!("runtime-filter-png"),
        "Key files" => crate::tr!("runtime-filter-keys"),
        other => other.to_owned(),
    }
}

/// Whether a native dialog can be shown at all: on Linux it needs the desktop portal (over the
/// session bus) or the zenity program.
fn dialogs_possible() -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    let session_bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty());
    let zenity = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join("zenity").is_file()));
    session_bus || zenity
}

/// Test double: answers with queued paths (or Cancelled when the queue is empty, Unavailable
/// when told so) and records the titles it was asked with. Clones share the same queues.
#[derive(Debug, Default, Clone)]
pub struct FakeDialogs {
    pub answers: Arc<Mutex<VecDeque<DialogAnswer>>>,
    pub asked: Arc<Mutex<Vec<String>>>,
}

impl FakeDialogs {
    pub fn queue(&self, path: impl Into<PathBuf>) {
        self.push(DialogAnswer::Chosen(path.into()));
    }

    pub fn push(&self, answer: DialogAnswer) {
        if let Ok(mut answers) = self.answers.lock() {
            answers.push_back(answer);
        }
    }
}

impl FileDialogs for FakeDialogs {
    fn open_folder(&self, folder: &Path) -> Result<(), String> {
        if let Ok(mut asked) = self.asked.lock() {
            asked.push(format!("open folder {}", folder.display()));
        }
        Ok(())
    }

    fn show(&self, request: &DialogRequest) -> DialogFuture {
        if let Ok(mut asked) = self.asked.lock() {
            asked.push(request.title.clone());
        }
        let answer = self
            .answers
            .lock()
            .ok()
            .and_then(|mut a| a.pop_front())
            .unwrap_or(DialogAnswer::Cancelled);
        Box::pin(async move { answer })
    }
}
