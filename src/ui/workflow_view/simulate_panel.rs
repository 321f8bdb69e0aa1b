//! "Simulate…" in the workflow view: a userinfo editor checked as you type, ready examples, Run,
//! the steps in words (a step selects its node), and what the graph draws of the run.

use std::collections::{HashMap, HashSet};

use egui::{RichText, Ui};
use serde_json::Value;

use crate::api::Workflow;
use crate::ui::theme::Tokens;
use crate::workflow::Graph;
use crate::workflow::simulate::{Outcome, Simulation, simulate};

/// Ready userinfo a reviewer can start from: (message id of its name, JSON).
const EXAMPLES: [(&str, &str); 3] = [
    (
        "sim-example-korean-adult",
        r#"{
  "sub": "user-kr-001",
  "loa": 2,
  "birthdate": "1990-04-12",
  "user": { "name": "김민지", "nationality": "KR" },
  "amr": ["pin"],
  "provenance": { "presentation": { "credentials": [ { "issuer": { "is_government": true } } ] } }
}"#,
    ),
    (
        "sim-example-swedish",
        r#"{
  "sub": "user-se-002",
  "loa": 2,
  "birthdate": "1985-11-30",
  "user": { "name": "Astrid Lind", "nationality": "SE" },
  "amr": ["bankid"],
  "provenance": { "presentation": { "credentials": [ { "issuer": { "is_government": true } } ] } }
}"#,
    ),
    (
        "sim-example-low-loa",
        r#"{
  "sub": "user-kr-003",
  "loa": 1,
  "user": { "name": "이준호", "nationality": "KR" },
  "amr": ["retry"]
}"#,
    ),
];

/// What the graph draws of a run: node (graph position) to its step numbers, the edges taken
/// (graph edge indices), and where it ended and how.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunOverlay {
    pub steps_at: HashMap<usize, Vec<usize>>,
    pub taken_edges: HashSet<usize>,
    pub end: Option<(usize, Outcome)>,
}

impl RunOverlay {
    /// Reads `run` onto `graph`: a step's node by its position in the workflow, a route by its
    /// index among the `if` node's routes.
    pub fn new(graph: &Graph, run: &Simulation) -> Self {
        let position = |workflow_index: usize| {
            graph
                .nodes
                .iter()
                .position(|node| node.index == workflow_index)
        };
        let mut overlay = RunOverlay::default();
        for (number, step) in run.steps().enumerate() {
            let Some(here) = position(step.index) else {
                continue;
            };
            overlay.steps_at.entry(here).or_default().push(number + 1);
            let Some(next) = run.steps().nth(number + 1).and_then(|s| position(s.index)) else {
                continue;
            };
            let taken = graph.outgoing[here].iter().copied().find(|&edge| {
                let edge_ref = &graph.edges[edge];
                edge_ref.to == next
                    && match (&edge_ref.kind, step.route()) {
                        (crate::workflow::EdgeKind::Route { route_index, .. }, Some(route)) => {
                            *route_index == route.index
                        }
                        (crate::workflow::EdgeKind::Next, None) => true,
                        _ => false,
                    }
            });
            overlay.taken_edges.extend(taken);
        }
        if let Some(last) = run.last_step().and_then(|s| position(s.index)) {
            overlay.end = Some((last, run.outcome));
        }
        overlay
    }
}

/// What the panel asks of the view this frame.
#[derive(Debug, Default)]
pub struct PanelOutput {
    /// A step was clicked: select this node (workflow node id).
    pub select_node: Option<String>,
    /// Remove every saved input.
    pub forget_inputs: bool,
    /// Run the input (it is valid JSON): the view runs it, draws it and keeps the input.
    pub run: bool,
    pub close: bool,
}

/// The panel's state for one workflow.
#[derive(Debug)]
pub struct SimulatePanel {
    input: String,
    /// The input as JSON, or why it is not (checked as you type).
    parsed: Result<Value, String>,
    pub run: Option<Simulation>,
    selected_step: Option<usize>,
    /// A saved input may still arrive; typing first keeps what was typed.
    edited: bool,
}

impl Default for SimulatePanel {
    fn default() -> Self {
        let mut panel = SimulatePanel {
            input: String::new(),
            parsed: Ok(Value::Null),
            run: None,
            selected_step: None,
            edited: false,
        };
        panel.set_input(EXAMPLES[0].1.to_owned());
        panel
    }
}

impl SimulatePanel {
    /// The input saved for this workflow arrived; it replaces the example unless the user has
    /// typed already.
    pub fn saved_input_arrived(&mut self, text: String) {
        if !self.edited {
            self.set_input(text);
        }
    }

    pub fn input(&self) -> &str {
        &self.input
    }

    /// Replaces the input (tests, examples) and checks it.
    pub fn set_input(&mut self, text: String) {
        self.input = text;
        self.check();
    }

    fn check(&mut self) {
        self.parsed = match serde_json::from_str::<Value>(&self.input) {
            Ok(value) if value.is_object() => Ok(value),
            Ok(_) => Err(crate::tr!("sim-input-not-object")),
            Err(e) => Err(crate::tr!(
                "sim-input-invalid",
                line = e.line(),
                column = e.column(),
                problem = if e.is_eof() {
                    crate::tr!("sim-json-eof")
                } else {
                    crate::tr!("sim-json-syntax")
                }
            )),
        };
    }

    /// Runs the input through `workflow`; nothing is sent anywhere.
    pub fn run(&mut self, workflow: &Workflow) -> bool {
        let Ok(userinfo) = &self.parsed else {
            return false;
        };
        self.run = Some(simulate(workflow, userinfo, &HashMap::new()));
        self.selected_step = None;
        true
    }

    pub fn ui(&mut self, ui: &mut Ui, tokens: &Tokens) -> PanelOutput {
        let mut output = PanelOutput::default();
        ui.horizontal(|ui| {
            ui.heading(crate::tr!("sim-title"));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button(crate::tr!("common-close"))
                    .on_hover_text(crate::tr!("sim-close-hint"))
                    .clicked()
                {
                    output.close = true;
                }
            });
        });
        ui.label(
            RichText::new(crate::tr!("sim-privacy-note"))
                .small()
                .color(tokens.neutral),
        );
        ui.horizontal_wrapped(|ui| {
            ui.label(crate::tr!("sim-examples"));
            for (name, json) in EXAMPLES {
                if ui.small_button(crate::i18n::loader().get(name)).clicked() {
                    self.set_input(json.to_owned());
                    self.edited = true;
                }
            }
        });
        let label = ui.label(crate::tr!("sim-input-label"));
        let editor = egui::TextEdit::multiline(&mut self.input)
            .code_editor()
            .desired_rows(8)
            .desired_width(f32::INFINITY);
        let response = egui::ScrollArea::vertical()
            .id_salt("sim-input")
            .max_height(ui.available_height() * 0.4)
            .show(ui, |ui| ui.add(editor).labelled_by(label.id))
            .inner;
        if response.changed() {
            self.edited = true;
            self.check();
        }
        let run_keys = response.has_focus()
            && ui.input(|i| i.modifiers.command && i.key_pressed(egui::Key::Enter));
        match &self.parsed {
            Ok(_) => ui.label(
                RichText::new(crate::tr!("sim-input-valid"))
                    .small()
                    .color(tokens.success),
            ),
            Err(problem) => ui.label(RichText::new(problem).small().color(tokens.error)),
        };
        ui.horizontal(|ui| {
            let run = ui
                .add_enabled(
                    self.parsed.is_ok(),
                    egui::Button::new(crate::tr!("sim-run")),
                )
                .on_hover_text(crate::tr!("sim-run-hint"));
            if (run.clicked() || run_keys) && self.parsed.is_ok() {
                output.run = true;
            }
            if ui
                .button(crate::tr!("sim-forget-inputs"))
                .on_hover_text(crate::tr!("sim-forget-inputs-hint"))
                .clicked()
            {
                output.forget_inputs = true;
            }
        });
        ui.separator();
        self.result_ui(ui, tokens, &mut output);
        output
    }

    fn result_ui(&mut self, ui: &mut Ui, tokens: &Tokens, output: &mut PanelOutput) {
        let Some(run) = &self.run else {
            ui.label(RichText::new(crate::tr!("sim-not-run")).color(tokens.neutral));
            return;
        };
        let colour = outcome_colour(run.outcome, tokens);
        let ended_at = run.last_step().map(|s| s.node()).unwrap_or_default();
        ui.label(
            RichText::new(crate::tr!(
                "sim-ended",
                outcome = run.outcome.label(),
                node = ended_at
            ))
            .strong()
            .color(colour),
        );
        if let Some(result) = run
            .response
            .as_ref()
            .and_then(|r| r.get("result"))
            .and_then(Value::as_str)
        {
            ui.label(crate::tr!(
                "sim-response-result",
                result = result.to_owned()
            ));
        }
        if let Some(stopped) = &run.stopped {
            ui.label(RichText::new(stopped).color(tokens.warning));
        }
        egui::ScrollArea::vertical()
            .id_salt("sim-steps")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for (number, step) in run.steps().enumerate() {
                    let selected = self.selected_step == Some(number);
                    let shown_number: usize = number + 1;
                    let title = crate::tr!(
                        "sim-step",
                        number = shown_number,
                        kind = step.kind.label(),
                        node = step.node(),
                        result = step.result.label()
                    );
                    let response = ui
                        .selectable_label(selected, RichText::new(title).strong())
                        .on_hover_text(crate::tr!("sim-step-hint"));
                    if !step.reason().is_empty() {
                        ui.indent(("sim-reason", number), |ui| {
                            ui.label(RichText::new(step.reason()).color(tokens.neutral));
                        });
                    }
                    if response.clicked() {
                        self.selected_step = Some(number);
                        output.select_node = Some(step.node().to_owned());
                    }
                }
            });
    }
}

/// The colour an outcome is drawn in, on the panel and on the graph's end node.
pub fn outcome_colour(outcome: Outcome, tokens: &Tokens) -> egui::Color32 {
    match outcome {
        Outcome::Completed => tokens.success,
        Outcome::Rejected => tokens.error,
        Outcome::Stuck | Outcome::Loop | Outcome::Invalid => tokens.warning,
    }
}
