//! Native open/save dialogs (rfd) behind a trait, so tests inject paths instead of opening windows.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// One entry of a dialog's file-type list, e.g. `("CSV files", &["csv", "tsv", "txt"])`.
#[derive(Debug, Clone, Copy)]
pub struct FileFilter {
    pub name: &'static str,
    pub extensions: &'static [&'static str],
}

/// Asks the user for a file to open or a place to save one. `None` means cancelled.
pub trait FileDialogs: Send {
    fn pick_file(&self, title: &str, filters: &[FileFilter]) -> Option<PathBuf>;
    fn save_file(&self, title: &str, default_name: &str, filters: &[FileFilter])
    -> Option<PathBuf>;
}

/// The platform's dialogs (GTK or the XDG portal on Linux).
#[derive(Debug, Default, Clone, Copy)]
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn pick_file(&self, title: &str, filters: &[FileFilter]) -> Option<PathBuf> {
        with_filters(rfd::FileDialog::new().set_title(title), filters).pick_file()
    }

    fn save_file(
        &self,
        title: &str,
        default_name: &str,
        filters: &[FileFilter],
    ) -> Option<PathBuf> {
        with_filters(rfd::FileDialog::new().set_title(title), filters)
            .set_file_name(default_name)
            .save_file()
    }
}

fn with_filters(dialog: rfd::FileDialog, filters: &[FileFilter]) -> rfd::FileDialog {
    filters
        .iter()
        .fold(dialog, |d, f| d.add_filter(f.name, f.extensions))
}

/// Test double: answers with queued paths (or `None` when the queue is empty) and records the
/// titles it was asked with. Clones share the same queues.
#[derive(Debug, Default, Clone)]
pub struct FakeDialogs {
    pub picks: Arc<Mutex<VecDeque<PathBuf>>>,
    pub saves: Arc<Mutex<VecDeque<PathBuf>>>,
    pub asked: Arc<Mutex<Vec<String>>>,
}

impl FakeDialogs {
    pub fn queue_pick(&self, path: impl Into<PathBuf>) {
        self.picks.lock().unwrap().push_back(path.into());
    }

    pub fn queue_save(&self, path: impl Into<PathBuf>) {
        self.saves.lock().unwrap().push_back(path.into());
    }
}

impl FileDialogs for FakeDialogs {
    fn pick_file(&self, title: &str, _filters: &[FileFilter]) -> Option<PathBuf> {
        self.asked.lock().unwrap().push(title.to_owned());
        self.picks.lock().unwrap().pop_front()
    }

    fn save_file(&self, title: &str, _default: &str, _filters: &[FileFilter]) -> Option<PathBuf> {
        self.asked.lock().unwrap().push(title.to_owned());
        self.saves.lock().unwrap().pop_front()
    }
}
