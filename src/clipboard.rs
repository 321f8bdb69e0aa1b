//! The clipboard hand-off for secrets, behind a trait so tests use a fake: a copied secret stays
//! pasteable for a minute after the last copy (closing the dialog does not clear it, since people
//! paste after closing), then it is cleared if the clipboard still holds it.
//!
//! The real clipboard is one `arboard::Clipboard` kept for the app's lifetime (on X11 the owning
//! process serves the content), and copies ask clipboard managers not to record the text.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::secret::Secret;

/// How long a copied secret stays on the clipboard after the last copy.
pub const SECRET_KEPT_FOR: Duration = Duration::from_secs(60);

/// The system (or a fake) clipboard plus the secret we last put there, until it is cleared.
pub struct SecretHandOff {
    clipboard: Box<dyn SecretClipboard>,
    /// What we copied and when; zeroized when dropped.
    held: Option<(Secret, Instant)>,
}

impl SecretHandOff {
    pub fn new(clipboard: Box<dyn SecretClipboard>) -> Self {
        Self {
            clipboard,
            held: None,
        }
    }

    /// Copies `text` and restarts the minute.
    pub fn copy(&mut self, text: &str, now: Instant) -> Result<(), String> {
        self.clipboard.copy_sensitive(text)?;
        self.held = Some((Secret::new(text), now));
        Ok(())
    }

    /// When the clipboard will be cleared, while a secret we copied may still be on it.
    pub fn clears_at(&self) -> Option<Instant> {
        self.held.as_ref().map(|(_, at)| *at + SECRET_KEPT_FOR)
    }

    /// Clears the clipboard once the minute has passed; returns the time left otherwise.
    pub fn expire(&mut self, now: Instant) -> Option<Duration> {
        let due = self.clears_at()?;
        if now >= due {
            self.clear_now();
            None
        } else {
            Some(due - now)
        }
    }

    /// Clears the clipboard if it still holds what we copied (a colleague's text copied since
    /// is left alone), and forgets it. Runs on exit.
    pub fn clear_now(&mut self) {
        if let Some((text, _)) = self.held.take()
            && self.clipboard.read().as_deref() == Some(text.expose())
        {
            self.clipboard.clear();
        }
    }
}

/// A clipboard that can hold a secret for a while.
pub trait SecretClipboard {
    /// Puts `text` on the clipboard, marked as sensitive where the platform allows it.
    fn copy_sensitive(&mut self, text: &str) -> Result<(), String>;
    /// The clipboard's current text, if it can be read.
    fn read(&mut self) -> Option<String>;
    /// Empties the clipboard.
    fn clear(&mut self);
}

/// The system clipboard.
pub struct SystemClipboard {
    inner: Option<arboard::Clipboard>,
}

impl SystemClipboard {
    pub fn new() -> Self {
        Self {
            inner: arboard::Clipboard::new().ok(),
        }
    }
}

impl Default for SystemClipboard {
    fn default() -> Self {
        Self::new()
    }
}

impl SecretClipboard for SystemClipboard {
    fn copy_sensitive(&mut self, text: &str) -> Result<(), String> {
        let Some(clipboard) = self.inner.as_mut() else {
            return Err(crate::tr!("clipboard-unavailable"));
        };
        let set = clipboard.set();
        // Ask clipboard managers not to keep it, and on Windows not to sync it to the cloud.
        #[cfg(target_os = "linux")]
        let set = {
            use arboard::SetExtLinux as _;
            set.exclude_from_history()
        };
        #[cfg(target_os = "macos")]
        let set = {
            use arboard::SetExtApple as _;
            set.exclude_from_history()
        };
        #[cfg(target_os = "windows")]
        let set = {
            use arboard::SetExtWindows as _;
            set.exclude_from_history().exclude_from_cloud()
        };
        set.text(text.to_owned())
            .map_err(|e| crate::tr!("clipboard-copy-failed", error = e.to_string()))
    }

    fn read(&mut self) -> Option<String> {
        self.inner.as_mut()?.get_text().ok()
    }

    fn clear(&mut self) {
        if let Some(clipboard) = self.inner.as_mut() {
            let _ = clipboard.clear();
        }
    }
}

/// An in-memory clipboard for tests; clones share the content.
#[derive(Clone, Default)]
pub struct FakeClipboard {
    pub content: Arc<Mutex<Option<String>>>,
    pub copies: Arc<Mutex<usize>>,
}

impl SecretClipboard for FakeClipboard {
    fn copy_sensitive(&mut self, text: &str) -> Result<(), String> {
        *self.content.lock().map_err(|e| e.to_string())? = Some(text.to_owned());
        *self.copies.lock().map_err(|e| e.to_string())? += 1;
        Ok(())
    }

    fn read(&mut self) -> Option<String> {
        self.content.lock().ok()?.clone()
    }

    fn clear(&mut self) {
        if let Ok(mut content) = self.content.lock() {
            *content = None;
        }
    }
}
