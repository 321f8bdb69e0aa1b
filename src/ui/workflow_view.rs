//! Read-only workflow viewer: pick one of an app's workflows, read it as a laid-out graph or
//! as a table, inspect a node, jump to lint problems, and export PNG or JSON.
//!
//! The graph model, lint and layout live in [`crate::workflow`]; this view only draws them and
//! keeps its own selection and camera. It never edits a workflow.

mod canvas;
pub mod editor;
mod export;
mod inspector;
mod problems;
pub mod simulate_panel;
mod table;

use egui::{Rect, RichText, Ui};

use canvas::{Camera, CanvasData, canvas_ui};
use editor::{Editor, EditorOutput};
use export::PendingShot;
use inspector::{InspectedNode, inspector_ui};
use simulate_panel::{RunOverlay, SimulatePanel};

use super::action::ViewOutput;
use super::command::UiCommand;
use super::theme::{self, Tokens};
use crate::backends::model::{OidcApp as App, Workflow};
use crate::i18n::Language;
use crate::runtime::{Command, FilePurpose};
use crate::workflow::{self, Finding, Graph, Layout, LayoutConfig, ProviderState, Severity};

const ZOOM_STEP: f32 = 1.25;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Graph,
    Table,
}

/// Everything derived from the selected workflow, computed once when it is picked (and again
/// when the console's language changes, for the words in it).
struct Prepared {
    /// The language its summaries, route labels and findings are in.
    language: Language,
    graph: Graph,
    layout: Layout,
    findings: Vec<Finding>,
    summaries: Vec<String>,
    worst: Vec<Option<Severity>>,
    reading_order: Vec<usize>,
}

impl Prepared {
    fn new(app: &App, workflow: &Workflow) -> Self {
        let graph = Graph::build(workflow);
        let layout = workflow::layout(&graph, &view_layout_config());
        let findings = workflow::lint(workflow, &graph, &ProviderState::of(app));
        let mut worst = vec![None; graph.nodes.len()];
        for finding in &findings {
            if let Some(n) = finding.node {
                let slot: &mut Option<Severity> = &mut worst[n];
                *slot = Some(slot.map_or(finding.severity, |s| s.min(finding.severity)));
            }
        }
        Self {
            language: crate::i18n::current_language(),
            summaries: workflow.nodes.iter().map(workflow::summary).collect(),
            reading_order: workflow::reading_order(&graph, &layout),
            graph,
            layout,
            findings,
            worst,
        }
    }
}

/// Card sizes of the view: room for the type, the id and two lines of summary.
pub fn view_layout_config() -> LayoutConfig {
    LayoutConfig {
        node_width: 240.0,
        node_height: 86.0,
        layer_gap: 64.0,
        ..LayoutConfig::default()
    }
}

/// A one-line outcome of an export.
struct Status {
    text: String,
    is_error: bool,
}

/// The workflow viewer for one app.
pub struct WorkflowView {
    app: App,
    current: usize,
    default_index: Option<usize>,
    prepared: Option<Prepared>,
    tab: Tab,
    selected: Option<usize>,
    selected_finding: Option<usize>,
    camera: Camera,
    fit_pending: bool,
    /// Until the user pans or zooms, the view refits when its area changes size.
    auto_fit: bool,
    center_pending: Option<usize>,
    /// A node just selected on the canvas, to bring wholly into view once the inspector has
    /// taken its room.
    reveal_pending: Option<usize>,
    canvas_rect: Option<Rect>,
    drawn_cards: usize,
    summarised_cards: usize,
    minimap_shown: bool,
    status: Option<Status>,
    pending_shot: Option<PendingShot>,
    /// Where to save when no dialog could open: the purpose and a path the user may edit.
    save_fallback: Option<(FilePurpose, String)>,
    /// "Simulate…": the panel, while open.
    simulator: Option<SimulatePanel>,
    /// What the graph draws of the last run.
    run_overlay: Option<RunOverlay>,
    /// The editing session, while editing.
    editor: Option<Editor>,
    /// The draft revision the graph was prepared from.
    prepared_revision: Option<u64>,
    /// A node to select once the graph is prepared again (one just added).
    select_pending: Option<String>,
    /// Whether this workspace can save workflows (the editor is offered only then).
    can_edit: bool,
}

impl WorkflowView {
    /// Shows `app`'s workflows; the default one is selected and marked; fit zoom on first frame.
    pub fn new(app: &App) -> Self {
        Self::with_workflows(app, app.workflows.clone())
    }

    /// Like [`Self::new`], for when the app as listed does not carry its workflows and the
    /// host fetched them separately (`GET /apps/{id}/workflows`).
    pub fn with_workflows(app: &App, workflows: Vec<Workflow>) -> Self {
        let mut app = app.without_secret();
        app.workflows = workflows;
        let default_index = app.default_workflow().and_then(|d| {
            app.workflows
                .iter()
                .position(|w| w.workflow_id == d.workflow_id)
        });
        let mut view = Self {
            app,
            current: 0,
            default_index,
            prepared: None,
            tab: Tab::Graph,
            selected: None,
            selected_finding: None,
            camera: Camera::default(),
            fit_pending: true,
            auto_fit: true,
            center_pending: None,
            reveal_pending: None,
            canvas_rect: None,
            drawn_cards: 0,
            summarised_cards: 0,
            minimap_shown: false,
            status: None,
            pending_shot: None,
            save_fallback: None,
            simulator: None,
            run_overlay: None,
            editor: None,
            prepared_revision: None,
            select_pending: None,
            can_edit: true,
        };
        view.select_workflow(default_index.unwrap_or(0));
        view
    }

    /// Shows the workflow at `index` of the app's list, with nothing selected and fit zoom.
    pub fn select_workflow(&mut self, index: usize) {
        let Some(workflow) = self.app.workflows.get(index) else {
            self.prepared = None;
            return;
        };
        self.current = index;
        self.prepared = Some(Prepared::new(&self.app, workflow));
        self.selected = None;
        self.selected_finding = None;
        self.run_overlay = None;
        if let Some(panel) = &mut self.simulator {
            panel.run = None;
        }
        self.request_fit();
    }

    /// Opens "Simulate…" on the current workflow and asks for the input kept for it.
    pub fn open_simulator(&mut self) -> Option<Command> {
        let workflow = self.workflow()?;
        let command = Command::LoadSimulationInput {
            app_id: self.app.client_id.clone(),
            workflow_id: workflow.workflow_id.clone(),
        };
        self.simulator = Some(SimulatePanel::default());
        Some(command)
    }

    /// The simulator panel, while open.
    pub fn simulator(&mut self) -> Option<&mut SimulatePanel> {
        self.simulator.as_mut()
    }

    /// What the graph draws of the last run, if any.
    pub fn run_overlay(&self) -> Option<&RunOverlay> {
        self.run_overlay.as_ref()
    }

    /// The input kept for `workflow_id` arrived from the runtime.
    pub fn simulation_input_loaded(&mut self, workflow_id: &str, text: String) {
        if self
            .workflow()
            .is_some_and(|w| w.workflow_id == workflow_id)
            && let Some(panel) = &mut self.simulator
        {
            panel.saved_input_arrived(text);
        }
    }

    /// Esc closes the simulator first, then the editor (asking first when it holds unsaved
    /// changes); `true` when it did either.
    pub fn close_panel(&mut self) -> bool {
        if self.simulator.take().is_some() {
            self.run_overlay = None;
            return true;
        }
        match &mut self.editor {
            Some(editor) if editor.is_dirty() => {
                editor.leave_asked = true;
                true
            }
            Some(_) => {
                self.stop_editing();
                true
            }
            None => false,
        }
    }

    /// Offers the editor only where the workspace can save workflows.
    pub fn with_editing(mut self, can_edit: bool) -> Self {
        self.can_edit = can_edit;
        self
    }

    /// Starts editing the workflow on screen, or `new` (not on the server yet); asks for the
    /// node-type catalog.
    pub fn start_editing(&mut self, new: Option<Workflow>) -> Option<Command> {
        let (workflow, is_new) = match new {
            Some(workflow) => (workflow, true),
            None => (self.app.workflows.get(self.current)?.clone(), false),
        };
        self.simulator = None;
        self.run_overlay = None;
        self.editor = Some(Editor::new(workflow, is_new));
        self.prepared_revision = None;
        if is_new {
            self.selected = None;
            self.request_fit();
        }
        Some(Command::LoadNodeTypes {
            app_id: self.app.client_id.clone(),
        })
    }

    /// The editing session, while editing.
    pub fn editor(&mut self) -> Option<&mut Editor> {
        self.editor.as_mut()
    }

    /// Whether the editor has its node-type catalog.
    pub fn has_node_types(&self) -> bool {
        self.editor.as_ref().is_some_and(|e| e.types.is_some())
    }

    /// Whether the last save was refused because the workflow changed on the server.
    pub fn save_conflict(&self) -> bool {
        self.editor.as_ref().is_some_and(|e| e.conflict)
    }

    /// Whether the editor holds changes not saved yet.
    pub fn has_unsaved_edits(&self) -> bool {
        self.editor.as_ref().is_some_and(Editor::is_dirty)
    }

    /// Leaves the editor, dropping its edits; the graph shows the app's workflow again.
    fn stop_editing(&mut self) {
        self.editor = None;
        self.prepared_revision = None;
        self.selected = None;
        if let Some(workflow) = self.app.workflows.get(self.current) {
            self.prepared = Some(Prepared::new(&self.app, workflow));
        } else {
            self.select_workflow(0);
        }
    }

    /// The node-type catalog of this app arrived.
    pub fn node_types_loaded(&mut self, app_id: &str, types: Vec<crate::api::NodeType>) {
        if app_id == self.app.client_id
            && let Some(editor) = &mut self.editor
        {
            editor.types = Some(types);
        }
    }

    /// A workflow of this app was saved (by the editor or elsewhere): the app's list holds the
    /// server's answer, and the editor goes on from it.
    pub fn workflow_saved(&mut self, app_id: &str, workflow: &Workflow) {
        if app_id != self.app.client_id {
            return;
        }
        let index = match self
            .app
            .workflows
            .iter()
            .position(|w| w.workflow_id == workflow.workflow_id)
        {
            Some(index) => {
                self.app.workflows[index] = workflow.clone();
                index
            }
            None => {
                self.app.workflows.push(workflow.clone());
                self.app.workflows.len() - 1
            }
        };
        if let Some(editor) = &mut self.editor
            && editor.saving
        {
            editor.draft.saved(workflow.clone());
            editor.is_new = false;
            editor.saving = false;
            editor.conflict = false;
            self.current = index;
            self.status = Some(Status {
                text: crate::tr!("editor-saved", workflow = workflow.name.as_str()),
                is_error: false,
            });
        }
    }

    /// The editor's save failed; a change on the server since it was opened is offered reload
    /// or overwrite (other failures are in the console's notices, with Retry).
    pub fn save_failed(&mut self, error: &crate::api::ApiError) {
        if let Some(editor) = &mut self.editor {
            editor.saving = false;
            if error.code.as_deref() == Some(crate::ops::WORKFLOW_CHANGED) {
                editor.conflict = true;
            }
        }
    }

    /// The app's workflows as the server has them now ("Reload theirs"): the editor starts
    /// again from the server's version.
    pub fn workflows_reloaded(
        &mut self,
        app_id: &str,
        workflows: Result<Vec<Workflow>, crate::api::ApiError>,
    ) {
        if app_id != self.app.client_id {
            return;
        }
        match workflows {
            Ok(workflows) => {
                let editing = self
                    .editor
                    .as_ref()
                    .map(|e| (e.draft.original().workflow_id.clone(), e.types.clone()));
                self.app.workflows = workflows;
                let Some((id, types)) = editing else {
                    return;
                };
                self.current = self
                    .app
                    .workflows
                    .iter()
                    .position(|w| w.workflow_id == id)
                    .unwrap_or(0);
                match self.app.workflows.get(self.current).cloned() {
                    Some(workflow) => {
                        let mut editor = Editor::new(workflow, false);
                        editor.types = types;
                        self.editor = Some(editor);
                        self.prepared_revision = None;
                    }
                    None => self.stop_editing(),
                }
            }
            Err(error) => {
                self.status = Some(Status {
                    text: error.user_message(),
                    is_error: true,
                });
            }
        }
    }

    /// The write that saves the editor's draft: a create for a new workflow, else an update that
    /// the server refuses if the workflow changed since it was opened (unless `overwrite`).
    fn save_write(&self, overwrite: bool) -> Option<crate::runtime::Write> {
        let editor = self.editor.as_ref()?;
        let mut workflow = editor.draft.current().clone();
        let id = self.app.client_id.clone();
        if editor.is_new {
            workflow.workflow_id.clear();
            return Some(crate::runtime::Write::CreateWorkflow {
                id,
                workflow: Box::new(workflow),
                idempotency_key: editor.create_key.clone(),
            });
        }
        let base_updated_at =
            (!overwrite).then(|| crate::workflow::edit::workflow_version(editor.draft.original()));
        Some(crate::runtime::Write::UpdateWorkflow {
            id,
            workflow: Box::new(workflow),
            base_updated_at,
        })
    }

    /// Prepares the graph again after an edit, keeping the selection (by node id).
    fn follow_draft(&mut self) {
        let Some(editor) = &self.editor else {
            return;
        };
        let revision = editor.draft.revision();
        if self.prepared_revision == Some(revision) {
            return;
        }
        let selected = self
            .select_pending
            .take()
            .or_else(|| self.selected_node().map(str::to_owned));
        let prepared = Prepared::new(&self.app, editor.draft.current());
        self.selected =
            selected.and_then(|id| prepared.graph.nodes.iter().position(|n| n.id == id));
        self.prepared = Some(prepared);
        self.prepared_revision = Some(revision);
        self.selected_finding = None;
    }

    fn editor_panel_ui(&mut self, ui: &mut Ui, tokens: &Tokens, output: &mut ViewOutput) {
        let errors = self.prepared.as_ref().map_or(0, |p| {
            p.findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count()
        });
        let selected = self.selected_node().map(str::to_owned);
        let Some(editor) = &mut self.editor else {
            return;
        };
        let asked = editor.ui(ui, tokens, selected.as_deref(), errors);
        self.editor_asked(asked, output);
    }

    fn editor_asked(&mut self, asked: EditorOutput, output: &mut ViewOutput) {
        if let Some(id) = asked.select {
            self.select_pending = Some(id);
        } else if asked.discard {
            self.stop_editing();
            return;
        }
        if (asked.save || asked.overwrite)
            && let Some(write) = self.save_write(asked.overwrite)
        {
            {
                if let Some(editor) = &mut self.editor {
                    editor.saving = true;
                    editor.conflict = false;
                }
                output.actions.push(super::action::Action::Write(write));
            }
        }
        if asked.reload {
            output.commands.push(Command::LoadWorkflows {
                app_id: self.app.client_id.clone(),
            });
        }
    }

    /// Ctrl+Z and Ctrl+Shift+Z walk the editing session, unless a text field has the keys.
    fn editor_keys(&mut self, ui: &Ui) {
        let Some(editor) = &mut self.editor else {
            return;
        };
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let redo = ui.input_mut(|i| {
            i.consume_key(
                egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
                egui::Key::Z,
            )
        });
        let undo = ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Z));
        if redo {
            editor.redo();
        } else if undo {
            editor.undo();
        }
    }

    /// Runs the panel's input through the current workflow and draws the run on the graph.
    pub fn run_simulation(&mut self) -> bool {
        let (Some(panel), Some(workflow), Some(prepared)) = (
            self.simulator.as_mut(),
            shown(&self.editor, &self.app, self.current),
            self.prepared.as_ref(),
        ) else {
            return false;
        };
        if !panel.run(workflow) {
            return false;
        }
        self.run_overlay = panel
            .run
            .as_ref()
            .map(|run| RunOverlay::new(&prepared.graph, run));
        true
    }

    /// Selects the first node with this id and centres it; `false` if there is none.
    pub fn select_node(&mut self, id: &str) -> bool {
        let Some(index) = self.prepared.as_ref().and_then(|p| p.graph.index_of(id)) else {
            return false;
        };
        self.selected = Some(index);
        self.selected_finding = None;
        self.center_pending = Some(index);
        true
    }

    /// Id of the selected node.
    pub fn selected_node(&self) -> Option<&str> {
        let prepared = self.prepared.as_ref()?;
        self.selected
            .and_then(|i| prepared.graph.nodes.get(i))
            .map(|n| n.id.as_str())
    }

    /// The app's workflows as the picker and the palette name them, in order.
    pub fn workflow_names(&self) -> Vec<String> {
        self.app
            .workflows
            .iter()
            .enumerate()
            .map(|(i, w)| self.shown_name(i, w))
            .collect()
    }

    /// A workflow's name (its id where it has none), marked when it is the app's default;
    /// "Default (default)" would say one thing twice.
    fn shown_name(&self, index: usize, workflow: &Workflow) -> String {
        let name = if workflow.name.trim().is_empty() {
            &workflow.workflow_id
        } else {
            &workflow.name
        };
        if Some(index) == self.default_index && !name.trim().eq_ignore_ascii_case("default") {
            crate::tr!("workflow-default-marked", name = name.as_str())
        } else {
            name.clone()
        }
    }

    /// The workflow on show.
    /// The workflow on screen: the draft while editing, else the app's.
    pub fn workflow(&self) -> Option<&Workflow> {
        self.shown_workflow()
    }

    fn shown_workflow(&self) -> Option<&Workflow> {
        shown(&self.editor, &self.app, self.current)
    }

    /// How many node cards the last graph frame drew (the others were off screen).
    pub fn drawn_cards(&self) -> usize {
        self.drawn_cards
    }

    /// How many cards of the last graph frame had room for their summary.
    pub fn summarised_cards(&self) -> usize {
        self.summarised_cards
    }

    /// Whether the last graph frame showed the minimap (the graph was larger than the view).
    pub fn minimap_shown(&self) -> bool {
        self.minimap_shown
    }

    /// The current zoom factor of the graph (1.0 = cards at their natural size).
    pub fn zoom(&self) -> f32 {
        self.camera.zoom
    }

    /// Runs one of the view's commands (zoom, fit, walking the graph).
    pub fn run(&mut self, command: UiCommand) {
        match command {
            UiCommand::ZoomIn => self.zoom_by(ZOOM_STEP),
            UiCommand::ZoomOut => self.zoom_by(1.0 / ZOOM_STEP),
            UiCommand::FitGraph => self.request_fit(),
            UiCommand::NodeAbove
            | UiCommand::NodeBelow
            | UiCommand::NodeLeft
            | UiCommand::NodeRight => self.step_selection(command),
            _ => {}
        }
    }

    /// Draws into `ui` (the host gives it a whole central area). Its keys (+/- zoom, 0 or F
    /// fit, arrows walk between nodes) come from the command list, through [`Self::run`].
    pub fn ui(&mut self, ui: &mut Ui) -> ViewOutput {
        self.editor_keys(ui);
        self.follow_draft();
        self.follow_language();
        let tokens = theme::tokens(ui.visuals().dark_mode);
        let mut output = ViewOutput::default();
        output.commands.extend(self.poll_screenshot(ui.ctx()));
        egui::Panel::top("workflow_view_toolbar").show(ui, |ui| {
            self.toolbar_ui(ui, &tokens, &mut output);
        });
        match self.prepared.as_ref().map(|p| p.findings.len()) {
            // A clean workflow needs one line, not a panel's worth of empty space.
            Some(0) => {
                egui::Panel::bottom("workflow_view_no_problems")
                    .resizable(false)
                    .show(ui, |ui| self.problems_ui(ui, &tokens));
            }
            Some(findings) => {
                let rows = findings.min(6) as f32;
                egui::Panel::bottom("workflow_view_problems")
                    .resizable(true)
                    .default_size(40.0 + rows * 22.0)
                    .min_size(60.0)
                    .show(ui, |ui| self.problems_ui(ui, &tokens));
            }
            None => {}
        }
        if self.simulator.is_some() && self.prepared.is_some() {
            egui::Panel::right("workflow_view_simulator")
                .resizable(true)
                .default_size(380.0)
                .min_size(300.0)
                .show(ui, |ui| self.simulator_panel_ui(ui, &tokens, &mut output));
        } else if self.editor.is_some() && self.prepared.is_some() {
            egui::Panel::right("workflow_view_editor")
                .resizable(true)
                .default_size(400.0)
                .min_size(320.0)
                .show(ui, |ui| self.editor_panel_ui(ui, &tokens, &mut output));
        } else if self.selected.is_some() {
            egui::Panel::right("workflow_view_inspector")
                .resizable(true)
                .default_size(360.0)
                .min_size(260.0)
                .show(ui, |ui| self.inspector_panel_ui(ui, &tokens));
        }
        egui::CentralPanel::default().show(ui, |ui| {
            if self.prepared.is_none() {
                ui.centered_and_justified(|ui| {
                    ui.label(crate::tr!("workflow-no-workflows"));
                });
                return;
            }
            match self.tab {
                Tab::Graph => self.graph_ui(ui, &tokens),
                Tab::Table => self.table_ui(ui, &tokens),
            }
        });
        if let Some(editor) = &mut self.editor {
            let mut asked = EditorOutput::default();
            editor.confirm_ui(ui.ctx(), &mut asked);
            editor.leave_ui(ui.ctx(), &mut asked);
            self.editor_asked(asked, &mut output);
        }
        output
    }

    /// Arrow keys walk the graph: down to the first next node, up to the first node leading
    /// here, left and right within the layer. With nothing selected, the entry is selected.
    fn step_selection(&mut self, arrow: UiCommand) {
        let Some(prepared) = &self.prepared else {
            return;
        };
        let Some(current) = self.selected else {
            let first = prepared
                .graph
                .entry
                .or_else(|| prepared.reading_order.first().copied());
            if let Some(first) = first {
                self.selected = Some(first);
                self.center_pending = Some(first);
            }
            return;
        };
        let graph = &prepared.graph;
        let boxes = &prepared.layout.nodes;
        let here = boxes[current];
        let next = match arrow {
            UiCommand::NodeBelow => graph.successors(current).find(|&n| n != current),
            UiCommand::NodeAbove => graph
                .edges
                .iter()
                .find(|e| e.to == current && e.from != current)
                .map(|e| e.from),
            UiCommand::NodeLeft => (0..boxes.len())
                .filter(|&n| boxes[n].layer == here.layer && boxes[n].order < here.order)
                .max_by_key(|&n| boxes[n].order),
            UiCommand::NodeRight => (0..boxes.len())
                .filter(|&n| boxes[n].layer == here.layer && boxes[n].order > here.order)
                .min_by_key(|&n| boxes[n].order),
            _ => None,
        };
        if let Some(next) = next {
            self.selected = Some(next);
            self.selected_finding = None;
            self.center_pending = Some(next);
        }
    }

    /// After a change of language, words the workflow was prepared with (summaries, route
    /// labels, findings) are made again; the selection and the camera stay.
    fn follow_language(&mut self) {
        let language = crate::i18n::current_language();
        if self
            .prepared
            .as_ref()
            .is_some_and(|p| p.language != language)
            && let Some(workflow) = self.shown_workflow()
        {
            self.prepared = Some(Prepared::new(&self.app, workflow));
            // A run's reasons are words too: run it again in the new language.
            if self.simulator.as_ref().is_some_and(|p| p.run.is_some()) {
                self.run_simulation();
            }
        }
    }

    fn request_fit(&mut self) {
        self.fit_pending = true;
        self.auto_fit = true;
    }

    /// Zooms by `factor` about the middle of the graph area (once the view has been drawn).
    pub fn zoom_by(&mut self, factor: f32) {
        self.auto_fit = false;
        if let Some(canvas) = self.canvas_rect {
            self.camera.zoom_about(canvas, factor, canvas.center());
        }
    }

    fn toolbar_ui(&mut self, ui: &mut Ui, tokens: &Tokens, output: &mut ViewOutput) {
        let tip = |command: UiCommand, ui: &Ui| command.tooltip(ui.ctx());
        ui.horizontal_wrapped(|ui| {
            if ui
                .button(crate::tr!("common-close"))
                .on_hover_text(crate::tr!("workflow-close-tooltip"))
                .clicked()
            {
                match &mut self.editor {
                    // Unsaved edits are asked about first.
                    Some(editor) if editor.is_dirty() => editor.leave_asked = true,
                    _ => output.close = true,
                }
            }
            ui.separator();
            ui.label(RichText::new(&self.app.name).strong());
            let mut picked = self.current;
            let name_of = |i: usize, w: &Workflow| self.shown_name(i, w);
            let current_name = self
                .workflow()
                .map_or_else(|| crate::tr!("common-none"), |w| name_of(self.current, w));
            // While editing, the workflow edited stays on screen.
            ui.add_enabled_ui(self.editor.is_none(), |ui| {
                egui::ComboBox::from_label(crate::tr!("workflow-picker"))
                    .selected_text(current_name)
                    .width(260.0)
                    .show_ui(ui, |ui| {
                        for (i, w) in self.app.workflows.iter().enumerate() {
                            ui.selectable_value(&mut picked, i, name_of(i, w));
                        }
                    });
            });
            if picked != self.current {
                self.select_workflow(picked);
            }
            ui.separator();
            if ui
                .selectable_label(self.tab == Tab::Graph, crate::tr!("workflow-tab-graph"))
                .clicked()
            {
                self.tab = Tab::Graph;
                self.request_fit();
            }
            if ui
                .selectable_label(self.tab == Tab::Table, crate::tr!("workflow-tab-table"))
                .clicked()
            {
                self.tab = Tab::Table;
            }
            if self.tab == Tab::Graph {
                ui.separator();
                if ui
                    .button(crate::tr!("workflow-zoom-out"))
                    .on_hover_text(tip(UiCommand::ZoomOut, ui))
                    .clicked()
                {
                    self.run(UiCommand::ZoomOut);
                }
                ui.label(format!("{:.0}%", self.camera.zoom * 100.0));
                if ui
                    .button(crate::tr!("workflow-zoom-in"))
                    .on_hover_text(tip(UiCommand::ZoomIn, ui))
                    .clicked()
                {
                    self.run(UiCommand::ZoomIn);
                }
                if ui
                    .button(crate::tr!("workflow-fit"))
                    .on_hover_text(tip(UiCommand::FitGraph, ui))
                    .clicked()
                {
                    self.run(UiCommand::FitGraph);
                }
            }
            ui.separator();
            let has_workflow = self.prepared.is_some();
            if self.can_edit && self.editor.is_none() {
                if ui
                    .add_enabled(has_workflow, egui::Button::new(crate::tr!("editor-edit")))
                    .on_hover_text(crate::tr!("editor-edit-hint"))
                    .clicked()
                {
                    output.commands.extend(self.start_editing(None));
                }
                let mut new = None;
                ui.menu_button(crate::tr!("editor-new"), |ui| {
                    if ui.button(crate::tr!("editor-new-default")).clicked() {
                        new = Some(crate::workflow::edit::default_workflow(&crate::tr!(
                            "editor-new-name"
                        )));
                        ui.close();
                    }
                    if let Some(current) = self.app.workflows.get(self.current)
                        && ui.button(crate::tr!("editor-new-copy")).clicked()
                    {
                        let mut copy = current.clone();
                        copy.workflow_id.clear();
                        copy.created_at = None;
                        copy.updated_at = None;
                        copy.name =
                            crate::tr!("editor-copy-name", workflow = current.name.as_str());
                        new = Some(copy);
                        ui.close();
                    }
                });
                if let Some(workflow) = new {
                    output.commands.extend(self.start_editing(Some(workflow)));
                }
            }
            let simulating = self.simulator.is_some();
            if ui
                .add_enabled(
                    has_workflow,
                    egui::Button::new(crate::tr!("sim-action")).selected(simulating),
                )
                .on_hover_text(crate::tr!("sim-action-hint"))
                .clicked()
            {
                if simulating {
                    self.close_panel();
                } else {
                    output.commands.extend(self.open_simulator());
                }
            }
            if ui
                .add_enabled(
                    has_workflow,
                    egui::Button::new(crate::tr!("workflow-export-png")),
                )
                .on_hover_text(crate::tr!("workflow-export-png-tooltip"))
                .clicked()
            {
                output
                    .commands
                    .extend(self.ask_export(FilePurpose::WorkflowPng));
            }
            if ui
                .add_enabled(
                    has_workflow,
                    egui::Button::new(crate::tr!("workflow-export-json")),
                )
                .on_hover_text(crate::tr!("workflow-export-json-tooltip"))
                .clicked()
            {
                output
                    .commands
                    .extend(self.ask_export(FilePurpose::WorkflowJson));
            }
            if let Some(status) = &self.status {
                let colour = if status.is_error {
                    tokens.error
                } else {
                    tokens.success
                };
                ui.colored_label(colour, &status.text);
            }
        });
        if let Some((purpose, path)) = &mut self.save_fallback {
            let purpose = *purpose;
            let mut save = None;
            ui.horizontal(|ui| {
                let label = ui.label(crate::tr!("workflow-save-to"));
                ui.add(egui::TextEdit::singleline(path).desired_width(420.0))
                    .labelled_by(label.id);
                if ui.button(crate::tr!("common-save")).clicked() && !path.trim().is_empty() {
                    save = Some(std::path::PathBuf::from(path.trim()));
                }
            });
            if let Some(path) = save {
                output
                    .commands
                    .extend(self.file_chosen(purpose, Some(path)));
            }
        }
    }

    fn problems_ui(&mut self, ui: &mut Ui, tokens: &Tokens) {
        let Some(prepared) = &self.prepared else {
            return;
        };
        let clicked = problems::problems_ui(ui, &prepared.findings, self.selected_finding, tokens);
        if let Some(k) = clicked {
            self.selected_finding = Some(k);
            if let Some(node) = prepared.findings[k].node {
                self.selected = Some(node);
                self.center_pending = Some(node);
            }
        }
    }

    fn simulator_panel_ui(&mut self, ui: &mut Ui, tokens: &Tokens, output: &mut ViewOutput) {
        let Some(panel) = self.simulator.as_mut() else {
            return;
        };
        let asked = panel.ui(ui, tokens);
        // A run is kept for its workflow, as typed.
        if asked.run
            && self.run_simulation()
            && let (Some(panel), Some(workflow)) = (&self.simulator, self.shown_workflow())
        {
            output.commands.push(Command::SaveSimulationInput {
                app_id: self.app.client_id.clone(),
                workflow_id: workflow.workflow_id.clone(),
                text: panel.input().to_owned(),
            });
        }
        if asked.forget_inputs {
            output.commands.push(Command::ForgetSimulationInputs);
        }
        if let Some(id) = asked.select_node {
            self.select_node(&id);
        }
        if asked.close {
            self.close_panel();
        }
    }

    fn inspector_panel_ui(&mut self, ui: &mut Ui, tokens: &Tokens) {
        let (Some(prepared), Some(selected), Some(workflow)) =
            (&self.prepared, self.selected, self.shown_workflow())
        else {
            return;
        };
        let Some(node) = workflow.nodes.get(selected) else {
            return;
        };
        let inspected = InspectedNode {
            node,
            kind: prepared.graph.nodes[selected].kind,
            summary: &prepared.summaries[selected],
            is_entry: prepared.graph.entry == Some(selected),
            findings: prepared
                .findings
                .iter()
                .filter(|f| f.node == Some(selected))
                .collect(),
        };
        if inspector_ui(ui, &inspected, tokens) {
            self.selected = None;
            self.selected_finding = None;
        }
    }

    fn graph_ui(&mut self, ui: &mut Ui, tokens: &Tokens) {
        let Some(prepared) = &self.prepared else {
            return;
        };
        let canvas = ui.available_rect_before_wrap();
        let camera_at_start = self.camera;
        if self.auto_fit && self.canvas_rect.is_some_and(|r| r.size() != canvas.size()) {
            self.fit_pending = true;
        }
        if self.fit_pending && canvas.width() > 1.0 && canvas.height() > 1.0 {
            self.camera = Camera::fit(canvas, &prepared.layout);
            self.fit_pending = false;
        }
        if let Some(node) = self.reveal_pending.take() {
            let placed = &prepared.layout.nodes[node];
            self.camera.reveal(
                canvas,
                egui::pos2(placed.x, placed.y),
                egui::vec2(placed.width, placed.height),
            );
        }
        if let Some(node) = self.center_pending.take() {
            self.auto_fit = false;
            let placed = &prepared.layout.nodes[node];
            self.camera.center_on(
                canvas,
                egui::pos2(placed.center_x(), placed.y + placed.height / 2.0),
            );
        }
        // While a PNG is being taken, the whole graph is shown, however small.
        if self.pending_shot.is_some() {
            self.camera = Camera::fit_all(canvas, &prepared.layout);
        }
        if self.camera != camera_at_start {
            // The toolbar's zoom label was drawn before this; show the new zoom next frame.
            ui.ctx().request_repaint();
        }
        let data = CanvasData {
            graph: &prepared.graph,
            layout: &prepared.layout,
            summaries: &prepared.summaries,
            worst: &prepared.worst,
            selected: self.selected,
            run: self.run_overlay.as_ref(),
        };
        let camera_before = self.camera;
        let output = canvas_ui(ui, &mut self.camera, &data, tokens);
        if self.camera != camera_before {
            self.auto_fit = false;
        }
        self.canvas_rect = Some(output.rect);
        self.drawn_cards = output.drawn_cards;
        self.summarised_cards = output.summarised_cards;
        self.minimap_shown = output.minimap;
        if let Some(node) = output.clicked_node {
            // Opening the inspector narrows the canvas: a fitted graph fits again, and the
            // selection is kept in view next frame either way.
            self.selected = Some(node);
            self.reveal_pending = Some(node);
            self.selected_finding = None;
        } else if output.clicked_background {
            self.selected = None;
            self.selected_finding = None;
        }
        self.request_pending_screenshot(ui.ctx(), output.rect);
    }

    fn table_ui(&mut self, ui: &mut Ui, tokens: &Tokens) {
        let Some(prepared) = &self.prepared else {
            return;
        };
        let Some(workflow) = self.shown_workflow() else {
            return;
        };
        if let Some(i) = table::table_ui(ui, prepared, workflow, self.selected, tokens) {
            self.selected = Some(i);
            self.selected_finding = None;
        }
    }
}

/// The workflow on screen: the editor's draft while editing, else the app's workflow `current`
/// (a free function, so a panel can borrow it beside the view's other fields).
fn shown<'a>(editor: &'a Option<Editor>, app: &'a App, current: usize) -> Option<&'a Workflow> {
    match editor {
        Some(editor) => Some(editor.draft.current()),
        None => app.workflows.get(current),
    }
}
