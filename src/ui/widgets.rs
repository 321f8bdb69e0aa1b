//! Small widgets shared by several views.

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
