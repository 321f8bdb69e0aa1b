//! What fills the window below the toolbar: one [`View`] at a time, so the screen is never
//! inferred from which of several options happens to be set.

use super::activity_view::ActivityView;
use super::command::Screen;
use super::import_wizard::ImportWizard;
use super::workflow_view::WorkflowView;

/// The screen and the state that belongs to it.
#[derive(Default)]
pub enum View {
    /// The list of apps and the selected app's details.
    #[default]
    Apps,
    /// The CSV import wizard.
    Import(Box<ImportWizard>),
    /// An app's workflow graph.
    Workflow(Box<WorkflowView>),
    /// The activity log, over the view it was opened from: Esc returns there, and an import
    /// running below keeps receiving its progress.
    Activity {
        log: Box<ActivityView>,
        under: Box<View>,
    },
}

impl View {
    /// Which screen the commands and shortcuts apply to.
    pub fn screen(&self) -> Screen {
        match self {
            View::Apps => Screen::Apps,
            View::Import(_) => Screen::Import,
            View::Workflow(_) => Screen::Workflow,
            View::Activity { .. } => Screen::Activity,
        }
    }

    /// The view below the activity log, or this one.
    fn base(&self) -> &View {
        match self {
            View::Activity { under, .. } => under.base(),
            other => other,
        }
    }

    fn base_mut(&mut self) -> &mut View {
        match self {
            View::Activity { under, .. } => under.base_mut(),
            other => other,
        }
    }

    /// The import wizard, open here or below the activity log.
    pub fn import(&self) -> Option<&ImportWizard> {
        match self.base() {
            View::Import(wizard) => Some(wizard),
            _ => None,
        }
    }

    pub fn import_mut(&mut self) -> Option<&mut ImportWizard> {
        match self.base_mut() {
            View::Import(wizard) => Some(wizard),
            _ => None,
        }
    }

    /// The workflow graph, open here or below the activity log.
    pub fn workflow(&self) -> Option<&WorkflowView> {
        match self.base() {
            View::Workflow(view) => Some(view),
            _ => None,
        }
    }

    pub fn workflow_mut(&mut self) -> Option<&mut WorkflowView> {
        match self.base_mut() {
            View::Workflow(view) => Some(view),
            _ => None,
        }
    }

    pub fn activity(&self) -> Option<&ActivityView> {
        match self {
            View::Activity { log, .. } => Some(log),
            _ => None,
        }
    }

    pub fn activity_mut(&mut self) -> Option<&mut ActivityView> {
        match self {
            View::Activity { log, .. } => Some(log),
            _ => None,
        }
    }

    /// Opens the activity log over this view (or shows it again if it is open).
    pub fn open_activity(&mut self) {
        if matches!(self, View::Activity { .. }) {
            return;
        }
        let under = std::mem::take(self);
        *self = View::Activity {
            log: Box::default(),
            under: Box::new(under),
        };
    }

    /// Closes the activity log, back to the view below; whether it was open.
    pub fn close_activity(&mut self) -> bool {
        if !matches!(self, View::Activity { .. }) {
            return false;
        }
        if let View::Activity { under, .. } = std::mem::take(self) {
            *self = *under;
        }
        true
    }

    /// Back to the list from an import or a graph (the activity log stays on top if open).
    pub fn close_base(&mut self) {
        *self.base_mut() = View::Apps;
    }
}
