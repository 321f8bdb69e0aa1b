//! Small widgets shared by several views, so every screen draws errors, warnings and copy
//! buttons alike.

use super::theme;

/// Labels in the theme's colours for what went wrong, what to watch and what went well.
pub trait UiExt {
    fn error_label(&mut self, text: impl Into<egui::RichText>) -> egui::Response;
    fn warning_label(&mut self, text: impl Into<egui::RichText>) -> egui::Response;
    fn success_label(&mut self, text: impl Into<egui::RichText>) -> egui::Response;
    /// A failure: the sentence with its next step, and the request id for support.
    fn api_error(&mut self, error: &crate::api::ApiError);
}

impl UiExt for egui::Ui {
    fn error_label(&mut self, text: impl Into<egui::RichText>) -> egui::Response {
        let colour = theme::tokens(self.visuals().dark_mode).error;
        self.colored_label(colour, text)
    }

    fn warning_label(&mut self, text: impl Into<egui::RichText>) -> egui::Response {
        let colour = theme::tokens(self.visuals().dark_mode).warning;
        self.colored_label(colour, text)
    }

    fn success_label(&mut self, text: impl Into<egui::RichText>) -> egui::Response {
        let colour = theme::tokens(self.visuals().dark_mode).success;
        self.colored_label(colour, text)
    }

    fn api_error(&mut self, error: &crate::api::ApiError) {
        self.error_label(error.user_message());
        if let Some(id) = &error.request_id {
            self.weak(crate::tr!("notice-request-id", id = id.as_str()));
        }
    }
}

/// A small "Copy" button whose accessible name says what it copies ("Copy client id Ab12"), so a
/// screen reader can tell the buttons of a long list apart. `what` is "client id", "app id" or
/// "request id" (said in the console's language), or a text already translated.
pub fn copy_button(ui: &mut egui::Ui, what: &str, value: &str) -> egui::Response {
    let what = match what {
        "client id" => crate::tr!("clipboard-what-client-id"),
        "app id" => crate::tr!("clipboard-what-app-id"),
        "request id" => crate::tr!("clipboard-what-request-id"),
        other => other.to_owned(),
    };
    let response = ui
        .small_button(crate::tr!("common-copy"))
        .on_hover_text(crate::tr!("clipboard-copy-hover", what = what.as_str()));
    let name = crate::tr!("clipboard-copy-name", what = what.as_str(), value = value);
    let enabled = ui.is_enabled();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, &name));
    response
}
