//! A dialog's Cancel button beside a call in flight, with what it waits for: shared by the
//! dialogs that send something (create, connect).

use super::action::Action;
use super::state::AppState;
use crate::runtime::OpId;

/// A dialog's Cancel button and, while `op` is in flight, a spinner saying what for. Cancel
/// closes the dialog when nothing is in flight; once the call is slow ("Still waiting for
/// HOST…") it stops the call instead (a dialog hides the status line's Cancel). Returns
/// whether to close, and the action to stop the call.
pub fn cancel_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    op: Option<OpId>,
    waiting_for: &str,
) -> (bool, Option<Action>) {
    let Some(op) = op else {
        return (ui.button(crate::tr!("common-cancel")).clicked(), None);
    };
    let slow = state
        .slow_calls(std::time::Instant::now())
        .iter()
        .any(|(o, _)| *o == op);
    let cancel = ui
        .add_enabled(slow, egui::Button::new(crate::tr!("common-cancel")))
        .on_hover_text(crate::tr!("status-stop-waiting-hover"))
        .clicked();
    ui.spinner();
    if slow {
        ui.label(crate::tr!(
            "status-still-waiting",
            host = state.connection.host.as_str()
        ));
    } else {
        ui.label(waiting_for);
    }
    (false, cancel.then_some(Action::Cancel(op)))
}
