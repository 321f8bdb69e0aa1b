//! Keyboard shortcuts, dropped files, and the guard that keeps the window open while closing would lose something.

use super::ConsoleApp;
use super::dialogs;

impl ConsoleApp {
    /// Keeps the window open while closing would lose something: a secret not yet stored, or
    /// an import that is running or whose secrets were not saved.
    pub(super) fn guard_close(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) {
            return;
        }
        let secret_unstored = self.state.secret.as_ref().is_some_and(|d| !d.acknowledged);
        let import_busy = self.import.as_mut().is_some_and(|w| !w.request_close());
        if secret_unstored || import_busy {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if secret_unstored {
                self.toast = Some((
                    "Store the secret and tick the box before closing".into(),
                    ctx.input(|i| i.time) + 4.0,
                ));
            }
        }
    }

    pub(super) fn shortcuts(&mut self, ctx: &egui::Context) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        if self.state.modal_open() {
            return;
        }
        let quit = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);
        if ctx.input_mut(|i| i.consume_shortcut(&quit)) {
            // A clean close: eframe saves the window and theme, and the clipboard is cleared.
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        // A file dropped on the window opens the import wizard on it.
        let dropped = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .find(|p| !p.as_os_str().is_empty())
        });
        if let Some(path) = dropped {
            self.open_import(Some(path));
        }
        let import = KeyboardShortcut::new(Modifiers::COMMAND, Key::I);
        if ctx.input_mut(|i| i.consume_shortcut(&import)) {
            self.open_import(None);
        }
        if let Some(wizard) = &mut self.import {
            if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape))
                && wizard.request_close()
            {
                self.import = None;
            }
            return;
        }
        if self.workflow_view.is_some() {
            if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
                self.workflow_view = None;
            }
            return;
        }
        let new_app = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
        let search = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
        // Asked before `input_mut`: the context must not be re-entered inside it.
        let typing = ctx.text_edit_focused();
        let (new_app, search, refresh, help) = ctx.input_mut(|i| {
            (
                i.consume_shortcut(&new_app),
                i.consume_shortcut(&search),
                i.consume_key(Modifiers::NONE, Key::F5),
                !typing
                    && i.events
                        .iter()
                        .any(|e| matches!(e, egui::Event::Text(t) if t == "?")),
            )
        });
        if new_app {
            self.state.create = Some(dialogs::new_create_dialog());
        }
        if search {
            self.list.focus_search = true;
        }
        if refresh {
            self.refresh();
        }
        if help {
            self.show_shortcuts = true;
        }
    }
}
