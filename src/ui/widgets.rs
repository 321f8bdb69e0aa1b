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
            self.weak(format!("Request id {id}"));
        }
    }
}

/// A small "Copy" button whose accessible name says what it copies ("Copy client id Ab12"), so a
/// screen reader can tell the buttons of a long list apart.
pub fn copy_button(ui: &mut egui::Ui, what: &str, value: &str) -> egui::Response {
    let response = ui
        .small_button("Copy")
        .on_hover_text(format!("Copy the {what}"));
    let name = format!("Copy {what} {value}");
    let enabled = ui.is_enabled();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, &name));
    response
}
