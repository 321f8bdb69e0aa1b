//! The native window: eframe options, the app icon, what is saved between runs, and start-up.

use std::sync::Arc;

use super::{ConsoleApp, fonts};
use crate::runtime::Backend;
use crate::settings::{Keys, LAST_BASE_URL_KEY};

impl eframe::App for ConsoleApp {
    /// Remembers the workspace address only: keys stay in the keyring, secrets nowhere.
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if let Some(url) = &self.last_base_url {
            storage.set_string(LAST_BASE_URL_KEY, url.clone());
        }
    }

    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        ConsoleApp::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        ConsoleApp::ui(self, ui);
    }
}

/// Opens the console window on the embedded sandbox with demo data.
pub fn run_embedded(
    options: &crate::cli::WindowArgs,
    started: std::time::Instant,
) -> Result<(), String> {
    let keys = Keys::os();
    let (backend, key_storage) = match &options.connect {
        Some(base_url) => {
            let (key, storage) = keys
                .find(base_url.trim().trim_end_matches('/'), crate::settings::env_api_key())
                .ok_or_else(|| {
                    format!("No API key for {base_url}: set CONNECT_API_KEY, or connect once from \"Connect…\" so the key is saved in the system keyring")
                })?;
            let connection =
                crate::api::Connection::new(base_url, key).map_err(|e| e.user_message())?;
            (Backend::connect(connection)?, Some(storage))
        }
        None => {
            let backend = Backend::embedded_sandbox(crate::sandbox::SandboxConfig {
                port: 0,
                demo: true,
                generated_apps: options.extra_apps,
                ..Default::default()
            })?;
            (backend, None)
        }
    };
    let theme = options.theme;
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
            fonts::install_cjk_fallback(&cc.egui_ctx);
            match theme {
                Some(crate::cli::ThemeChoice::Dark) => cc.egui_ctx.set_theme(egui::Theme::Dark),
                Some(crate::cli::ThemeChoice::Light) => cc.egui_ctx.set_theme(egui::Theme::Light),
                None => {}
            }
            let clipboard = Box::new(crate::clipboard::SystemClipboard::new());
            let mut app = ConsoleApp::new(backend, clipboard, &cc.egui_ctx);
            app.last_base_url = cc.storage.and_then(|s| s.get_string(LAST_BASE_URL_KEY));
            app.started = Some(started);
            app.state.key_storage = key_storage;
            app.keys = Arc::new(keys);
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| format!("The window could not be opened: {e}"))
}
