//! The native window: eframe options, the app icon, what is saved between runs (the last
//! address, the certificate authority file of each address, how long a call may take; never a
//! key), start-up, and the guard that keeps the window open while closing would lose something.

use std::time::Duration;

use super::{ConsoleApp, fonts};
use crate::runtime::Backend;
use crate::settings::{CA_FILES_KEY, Keys, LAST_BASE_URL_KEY};

/// eframe storage key of how long a call may take, in seconds.
const DEADLINE_KEY: &str = "call_deadline_secs";

impl eframe::App for ConsoleApp {
    /// Remembers the workspace address and the call deadline: keys stay in the keyring,
    /// secrets nowhere.
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if let Some(url) = &self.last_base_url {
            storage.set_string(LAST_BASE_URL_KEY, url.clone());
        }
        storage.set_string(
            CA_FILES_KEY,
            crate::settings::write_ca_files(&self.ca_files),
        );
        storage.set_string(
            super::language::LANGUAGE_KEY,
            self.language_choice().code().to_owned(),
        );
        storage.set_string(
            DEADLINE_KEY,
            self.backend().deadline().as_secs().to_string(),
        );
    }

    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        ConsoleApp::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        ConsoleApp::ui(self, ui);
    }
}

impl ConsoleApp {
    /// Keeps the window open while closing would lose something: a secret not yet stored, or
    /// an import that is running or whose secrets were not saved.
    pub(super) fn guard_close(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) {
            return;
        }
        let secret_unstored = self.state.secret.as_ref().is_some_and(|d| !d.acknowledged);
        let import_busy = self.view.import_mut().is_some_and(|w| !w.request_close());
        let workflow_unsaved = self
            .view
            .workflow_mut()
            .is_some_and(|w| w.has_unsaved_edits() && w.close_panel());
        let edits_unsaved =
            !secret_unstored && !import_busy && (workflow_unsaved || self.ask_before_closing());
        if secret_unstored || import_busy || edits_unsaved {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if secret_unstored {
                self.toast = Some((
                    crate::tr!("shell-store-secret-before-closing"),
                    ctx.input(|i| i.time) + 4.0,
                ));
            }
        }
    }
}

/// Opens the console window, on the embedded sandbox with demo data or on `--connect URL`.
pub fn run_embedded(
    options: &super::start::StartOptions,
    started: std::time::Instant,
) -> Result<(), String> {
    // Early errors (no key, no sandbox) speak --lang, CONNECT_LANG or the system's language; the
    // saved setting is read once eframe's storage is open.
    crate::i18n::Localizer::new(crate::i18n::startup_language(options.lang, None)).install();
    let lang_flag = options.lang;
    let keys = Keys::os();
    // `--connect`: the connection, to open again with the certificate authority file remembered
    // for its address once eframe's storage can be read.
    let mut started_on = None;
    let (backend, key_storage) = match &options.connect {
        Some(base_url) => {
            let (key, storage) = keys
                .find(
                    base_url.trim().trim_end_matches('/'),
                    crate::settings::env_api_key(),
                )
                .ok_or_else(|| crate::tr!("shell-no-api-key", url = base_url.as_str()))?;
            let connection = crate::backends::Connection::new(
                options.backend,
                base_url,
                key,
                options.org.as_deref(),
            )
            .map_err(|e| e.user_message())?
            .with_ca_file(crate::backends::net::env_ca_file());
            started_on = Some(connection.clone());
            let backend = Backend::connect(connection)?;
            (backend, Some(storage))
        }
        None => {
            let backend = Backend::embedded_sandbox(crate::sandbox::SandboxConfig::embedded_demo(
                options.extra_apps,
            ))?;
            (backend, None)
        }
    };
    let backend = backend.with_keys(keys);
    let theme = options.theme;
    let import = options.import.clone();
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Connect Console")
        .with_app_id("connect-console")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([900.0, 560.0]);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")) {
        viewport = viewport.with_icon(icon);
    }
    let native_options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "connect-console",
        native_options,
        Box::new(move |cc| {
            fonts::install_hangul_fallback(&cc.egui_ctx, &fonts::system_font_dirs());
            match theme {
                Some(super::start::Theme::Dark) => cc.egui_ctx.set_theme(egui::Theme::Dark),
                Some(super::start::Theme::Light) => cc.egui_ctx.set_theme(egui::Theme::Light),
                None => {}
            }
            let mut backend = backend;
            let saved_deadline = cc
                .storage
                .and_then(|s| s.get_string(DEADLINE_KEY))
                .and_then(|s| s.parse::<u64>().ok())
                .filter(|secs| (5..=600).contains(secs));
            if let Some(secs) = saved_deadline {
                backend.set_deadline(Duration::from_secs(secs));
            }
            let ca_files = crate::settings::read_ca_files(
                cc.storage
                    .and_then(|s| s.get_string(CA_FILES_KEY))
                    .as_deref(),
            );
            // CONNECT_CA_FILE wins; else the file this address was last connected with.
            if let Some(connection) = started_on
                && crate::backends::net::env_ca_file().is_none()
            {
                let address = crate::settings::address_key(&backend.info().base_url);
                if let Some(path) = ca_files.get(&address) {
                    match crate::backends::open(connection.with_ca_file(Some(path.clone())), false)
                    {
                        Ok(workspace) => backend.switch_to(workspace),
                        // The apps then fail to load with the reason; the dialog can fix it.
                        Err(e) => {
                            tracing::warn!("{}", crate::i18n::in_english(|| e.user_message()))
                        }
                    }
                }
            }
            let clipboard = Box::new(crate::clipboard::SystemClipboard::new());
            let mut app = ConsoleApp::new(backend, clipboard, &cc.egui_ctx);
            app.start_language(
                lang_flag,
                cc.storage
                    .and_then(|s| s.get_string(super::language::LANGUAGE_KEY))
                    .as_deref(),
            );
            app.ca_files = ca_files;
            app.last_base_url = cc.storage.and_then(|s| s.get_string(LAST_BASE_URL_KEY));
            app.started = Some(started);
            app.state.key_storage = key_storage;
            if let Some(file) = import {
                app.open_import(Some(file));
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| crate::tr!("shell-window-not-opened", error = e.to_string()))
}
