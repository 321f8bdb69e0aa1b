//! The workflow editor's panel: the workflow's name, undo and redo, adding a node after the
//! selected one from the node-type catalog, the selected node's settings as a form made from
//! the catalog's fields, an `if` node's routes, the entry node, and the question before saving.

use std::collections::HashMap;

use egui::{RichText, Ui};
use serde_json::{Map, Value};

use crate::api::{Next, Node, NodeType, NodeTypeField, Workflow};
use crate::ui::theme::Tokens;
use crate::workflow::condition::Operator;
use crate::workflow::edit::{Changes, Draft, Route, routes_of};

/// An editing session of one workflow.
#[derive(Debug)]
pub struct Editor {
    pub draft: Draft,
    /// A workflow not on the server yet: saving creates it.
    pub is_new: bool,
    /// The idempotency key of the create, kept for its retries.
    pub create_key: String,
    /// The catalog, once loaded (the documented one when the server's could not be read).
    pub types: Option<Vec<NodeType>>,
    /// The name as typed; applied when the field loses focus or on Enter.
    name: String,
    /// Texts of JSON fields (objects, whole settings) while they do not parse yet.
    json_texts: HashMap<String, String>,
    /// The question before saving is open.
    pub confirm_save: bool,
    /// The save was refused: someone changed the workflow on the server.
    pub conflict: bool,
    /// The question about leaving unsaved edits is open.
    pub leave_asked: bool,
    /// A save is on its way.
    pub saving: bool,
}

/// What the panel asks of the view.
#[derive(Debug, Default)]
pub struct EditorOutput {
    pub select: Option<String>,
    /// Save now (the question was answered).
    pub save: bool,
    /// Send again without checking the server's version.
    pub overwrite: bool,
    /// Reload the workflow from the server, dropping the edits.
    pub reload: bool,
    /// Leave the editor, dropping the edits.
    pub discard: bool,
}

impl Editor {
    pub fn new(workflow: Workflow, is_new: bool) -> Self {
        Self {
            name: workflow.name.clone(),
            draft: Draft::new(workflow),
            is_new,
            create_key: uuid::Uuid::new_v4().to_string(),
            types: None,
            json_texts: HashMap::new(),
            confirm_save: false,
            conflict: false,
            leave_asked: false,
            saving: false,
        }
    }

    /// Unsaved edits (a new workflow is unsaved until created).
    pub fn is_dirty(&self) -> bool {
        self.is_new || self.draft.is_dirty()
    }

    pub fn undo(&mut self) {
        if self.draft.undo() {
            self.resync();
        }
    }

    pub fn redo(&mut self) {
        if self.draft.redo() {
            self.resync();
        }
    }

    /// Texts typed into fields follow the draft after an undo or redo.
    fn resync(&mut self) {
        self.name = self.draft.current().name.clone();
        self.json_texts.clear();
    }

    fn node_type(&self, code: &str) -> Option<&NodeType> {
        self.types.as_ref()?.iter().find(|t| t.node_type == code)
    }

    /// The panel. `selected` is the selected node's id; `errors` how many lint errors the draft
    /// has (they keep it from being saved).
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        tokens: &Tokens,
        selected: Option<&str>,
        errors: usize,
    ) -> EditorOutput {
        let mut output = EditorOutput::default();
        ui.horizontal(|ui| {
            ui.heading(crate::tr!("editor-title"));
            if self.is_dirty() {
                ui.label(RichText::new(crate::tr!("editor-unsaved")).color(tokens.warning));
            }
        });
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_enabled(
                    self.draft.can_undo(),
                    egui::Button::new(crate::tr!("editor-undo")),
                )
                .on_hover_text(crate::tr!("editor-undo-hint"))
                .clicked()
            {
                self.undo();
            }
            if ui
                .add_enabled(
                    self.draft.can_redo(),
                    egui::Button::new(crate::tr!("editor-redo")),
                )
                .on_hover_text(crate::tr!("editor-redo-hint"))
                .clicked()
            {
                self.redo();
            }
            let can_save = self.is_dirty() && errors == 0 && !self.saving;
            let save = ui
                .add_enabled(can_save, egui::Button::new(crate::tr!("editor-save")))
                .on_disabled_hover_text(if errors > 0 {
                    crate::tr!("editor-save-blocked", count = errors)
                } else {
                    crate::tr!("editor-nothing-to-save")
                });
            if save.clicked() {
                self.confirm_save = true;
            }
            if ui
                .button(crate::tr!("editor-close"))
                .on_hover_text(crate::tr!("editor-close-hint"))
                .clicked()
            {
                if self.is_dirty() {
                    self.leave_asked = true;
                } else {
                    output.discard = true;
                }
            }
        });
        if self.conflict {
            self.conflict_ui(ui, tokens, &mut output);
        }
        ui.separator();
        // While a save is on its way nothing can be changed: the server's answer replaces the
        // draft, and an edit made meanwhile would be lost.
        let saving = self.saving;
        ui.add_enabled_ui(!saving, |ui| {
            self.edit_ui(ui, tokens, selected, &mut output)
        });
        output
    }

    fn edit_ui(
        &mut self,
        ui: &mut Ui,
        tokens: &Tokens,
        selected: Option<&str>,
        output: &mut EditorOutput,
    ) {
        let label = ui.label(crate::tr!("editor-name"));
        let name = ui
            .add(egui::TextEdit::singleline(&mut self.name).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        if name.lost_focus() && self.name.trim() != self.draft.current().name {
            let typed = self.name.trim().to_owned();
            self.draft.rename(&typed);
        }
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("editor-node")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                self.add_node_ui(ui, selected, output);
                if let Some(id) = selected {
                    ui.separator();
                    self.node_ui(ui, tokens, id, output);
                } else {
                    ui.label(
                        RichText::new(crate::tr!("editor-select-a-node")).color(tokens.neutral),
                    );
                }
            });
    }

    fn conflict_ui(&mut self, ui: &mut Ui, tokens: &Tokens, output: &mut EditorOutput) {
        ui.label(RichText::new(crate::tr!("editor-conflict")).color(tokens.error));
        ui.horizontal(|ui| {
            if ui
                .button(crate::tr!("editor-conflict-reload"))
                .on_hover_text(crate::tr!("editor-conflict-reload-hint"))
                .clicked()
            {
                output.reload = true;
            }
            if ui
                .button(crate::tr!("editor-conflict-overwrite"))
                .on_hover_text(crate::tr!("editor-conflict-overwrite-hint"))
                .clicked()
            {
                output.overwrite = true;
            }
        });
    }

    fn add_node_ui(&mut self, ui: &mut Ui, selected: Option<&str>, output: &mut EditorOutput) {
        let Some(types) = self.types.clone() else {
            ui.label(crate::tr!("editor-loading-types"));
            return;
        };
        let text = match selected {
            Some(id) => crate::tr!("editor-add-after", node = id),
            None => crate::tr!("editor-add-at-end"),
        };
        ui.menu_button(text, |ui| {
            for kind in &types {
                // Known types by their name in the user's language; others as the server names them.
                let label = match crate::workflow::NodeKind::from_type(&kind.node_type) {
                    crate::workflow::NodeKind::Other if kind.label.is_empty() => {
                        kind.node_type.clone()
                    }
                    crate::workflow::NodeKind::Other => kind.label.clone(),
                    known => known.label(),
                };
                let item = ui.button(label);
                let item = if kind.description.is_empty() {
                    item
                } else {
                    item.on_hover_text(&kind.description)
                };
                if item.clicked() {
                    let id = self.draft.add_node_after(selected, kind);
                    output.select = Some(id);
                    ui.close();
                }
            }
        });
    }

    fn node_ui(&mut self, ui: &mut Ui, tokens: &Tokens, id: &str, output: &mut EditorOutput) {
        let Some(node) = self
            .draft
            .current()
            .nodes
            .iter()
            .find(|n| n.id == id)
            .cloned()
        else {
            return;
        };
        let is_entry = self.draft.current().entry_node_id.as_deref() == Some(id);
        ui.label(
            RichText::new(crate::tr!(
                "editor-node-heading",
                node = id,
                code = node.node_type.as_str()
            ))
            .strong(),
        );
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_enabled(
                    !is_entry,
                    egui::Button::new(crate::tr!("editor-make-entry")),
                )
                .clicked()
            {
                self.draft.set_entry(id);
            }
            if ui
                .button(crate::tr!("editor-delete-node"))
                .on_hover_text(crate::tr!("editor-delete-node-hint"))
                .clicked()
            {
                self.draft.delete_node(id);
                output.select = None;
            }
        });
        if node.node_type == "if" {
            self.routes_ui(ui, tokens, &node);
        } else if node.node_type != "response" {
            self.next_ui(ui, &node);
        }
        let fields = self
            .node_type(&node.node_type)
            .map(|t| t.fields.clone())
            .unwrap_or_default();
        if !fields.is_empty() {
            ui.add_space(6.0);
            ui.label(RichText::new(crate::tr!("editor-settings")).strong());
            ui.label(
                RichText::new(crate::tr!("editor-required-note"))
                    .small()
                    .color(tokens.neutral),
            );
            let config = node.config_value().unwrap_or(Value::Object(Map::new()));
            for field in &fields {
                self.field_ui(ui, tokens, &node, &config, field);
            }
        }
        ui.add_space(6.0);
        egui::CollapsingHeader::new(crate::tr!("editor-settings-json"))
            .id_salt(("editor-settings-json", id))
            .show(ui, |ui| self.config_json_ui(ui, tokens, &node));
    }

    fn next_ui(&mut self, ui: &mut Ui, node: &Node) {
        let current = match &node.next {
            Some(Next::Node(target)) => Some(target.clone()),
            _ => None,
        };
        let ids: Vec<String> = self
            .draft
            .current()
            .nodes
            .iter()
            .filter(|n| n.id != node.id)
            .map(|n| n.id.clone())
            .collect();
        let mut picked = current.clone();
        ui.horizontal(|ui| {
            let label = ui.label(crate::tr!("editor-next"));
            egui::ComboBox::from_id_salt(("editor-next", &node.id))
                .selected_text(
                    picked
                        .clone()
                        .unwrap_or_else(|| crate::tr!("editor-nowhere")),
                )
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut picked, None, crate::tr!("editor-nowhere"));
                    for id in &ids {
                        ui.selectable_value(&mut picked, Some(id.clone()), id);
                    }
                })
                .response
                .labelled_by(label.id);
        });
        if picked != current {
            self.draft.set_next(&node.id, picked);
        }
    }

    fn routes_ui(&mut self, ui: &mut Ui, tokens: &Tokens, node: &Node) {
        ui.label(RichText::new(crate::tr!("editor-routes")).strong());
        let Some(mut routes) = routes_of(node) else {
            ui.label(RichText::new(crate::tr!("editor-routes-unreadable")).color(tokens.warning));
            return;
        };
        let before = routes.clone();
        let ids: Vec<String> = self
            .draft
            .current()
            .nodes
            .iter()
            .map(|n| n.id.clone())
            .collect();
        let mut remove = None;
        let mut swap = None;
        let count = routes.len();
        for (i, route) in routes.iter_mut().enumerate() {
            ui.push_id(("route", &node.id, i), |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.label(format!("{}.", i + 1));
                    ui.checkbox(&mut route.default, crate::tr!("editor-route-default"));
                    if !route.default {
                        let field = ui.label(crate::tr!("editor-route-field"));
                        ui.add(egui::TextEdit::singleline(&mut route.field).desired_width(150.0))
                            .labelled_by(field.id);
                        egui::ComboBox::from_id_salt("operator")
                            .selected_text(route.operator.clone())
                            .width(90.0)
                            .show_ui(ui, |ui| {
                                for (op, _) in Operator::NAMES {
                                    ui.selectable_value(&mut route.operator, op.to_owned(), op);
                                }
                            });
                        if !matches!(route.operator.as_str(), "exists" | "not_exists") {
                            let value = ui.label(crate::tr!("editor-route-value"));
                            ui.add(
                                egui::TextEdit::singleline(&mut route.value).desired_width(80.0),
                            )
                            .labelled_by(value.id);
                        }
                    }
                    ui.label("→");
                    egui::ComboBox::from_id_salt("target")
                        .selected_text(if route.next.is_empty() {
                            crate::tr!("editor-nowhere")
                        } else {
                            route.next.clone()
                        })
                        .show_ui(ui, |ui| {
                            for id in &ids {
                                ui.selectable_value(&mut route.next, id.clone(), id);
                            }
                        });
                    if ui
                        .add_enabled(i > 0, egui::Button::new("↑"))
                        .on_hover_text(crate::tr!("editor-route-up"))
                        .clicked()
                    {
                        swap = Some((i - 1, i));
                    }
                    if ui
                        .add_enabled(i + 1 < count, egui::Button::new("↓"))
                        .on_hover_text(crate::tr!("editor-route-down"))
                        .clicked()
                    {
                        swap = Some((i, i + 1));
                    }
                    if ui.button(crate::tr!("editor-route-remove")).clicked() {
                        remove = Some(i);
                    }
                });
            });
        }
        if let Some((a, b)) = swap {
            routes.swap(a, b);
        }
        if let Some(i) = remove {
            routes.remove(i);
        }
        if ui.button(crate::tr!("editor-route-add")).clicked() {
            routes.push(Route {
                field: "input.loa".into(),
                operator: "gte".into(),
                value: "2".into(),
                ..Route::default()
            });
        }
        if routes != before {
            self.draft.set_routes(&node.id, &routes);
        }
    }

    fn field_ui(
        &mut self,
        ui: &mut Ui,
        tokens: &Tokens,
        node: &Node,
        config: &Value,
        field: &NodeTypeField,
    ) {
        let current = config.get(&field.name).cloned();
        let mut updated: Option<Value> = None;
        ui.horizontal_wrapped(|ui| {
            let mark = if field.required { " *" } else { "" };
            let label = ui
                .label(format!("{}{mark}", field.name))
                .on_hover_text(&field.description);
            match field.field_type.as_str() {
                "number" | "integer" => {
                    let mut number = current.as_ref().and_then(Value::as_f64).unwrap_or(0.0);
                    if ui
                        .add(egui::DragValue::new(&mut number).speed(0.1))
                        .labelled_by(label.id)
                        .changed()
                    {
                        updated = Some(serde_json::Number::from_f64(number).map_or(
                            Value::Null,
                            |n| {
                                if number.fract() == 0.0 {
                                    Value::from(number as i64)
                                } else {
                                    Value::Number(n)
                                }
                            },
                        ));
                    }
                }
                "boolean" => {
                    let mut on = current.as_ref().and_then(Value::as_bool).unwrap_or(false);
                    if ui.checkbox(&mut on, "").labelled_by(label.id).changed() {
                        updated = Some(Value::Bool(on));
                    }
                }
                "enum" => {
                    let values = field.enum_values.clone().unwrap_or_default();
                    let shown = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                    let mut picked = current.clone().unwrap_or(Value::Null);
                    egui::ComboBox::from_id_salt(("field", &node.id, &field.name))
                        .selected_text(if picked.is_null() {
                            String::new()
                        } else {
                            shown(&picked)
                        })
                        .show_ui(ui, |ui| {
                            for value in &values {
                                ui.selectable_value(&mut picked, value.clone(), shown(value));
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    if Some(&picked) != current.as_ref() && !picked.is_null() {
                        updated = Some(picked);
                    }
                }
                "string[]" | "array" => {
                    let mut text = current
                        .as_ref()
                        .and_then(Value::as_array)
                        .map(|items| {
                            items
                                .iter()
                                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .unwrap_or_default();
                    let response = ui
                        .add(
                            egui::TextEdit::singleline(&mut text)
                                .hint_text(crate::tr!("editor-list-hint"))
                                .desired_width(220.0),
                        )
                        .labelled_by(label.id);
                    if response.changed() {
                        updated = Some(Value::Array(
                            text.split(',')
                                .map(str::trim)
                                .filter(|s| !s.is_empty())
                                .map(|s| Value::String(s.to_owned()))
                                .collect(),
                        ));
                    }
                }
                "object" => {
                    let key = format!("{}\u{1f}{}", node.id, field.name);
                    let text = self.json_texts.entry(key.clone()).or_insert_with(|| {
                        current.as_ref().map_or_else(String::new, |v| {
                            serde_json::to_string_pretty(v).unwrap_or_default()
                        })
                    });
                    let response = ui
                        .add(
                            egui::TextEdit::multiline(text)
                                .code_editor()
                                .desired_rows(3)
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(label.id);
                    if response.changed() {
                        match serde_json::from_str::<Value>(text) {
                            Ok(value) => updated = Some(value),
                            Err(_) => {
                                ui.label(
                                    RichText::new(crate::tr!("editor-json-invalid"))
                                        .color(tokens.error),
                                );
                            }
                        }
                    }
                }
                _ => {
                    let mut text = current
                        .as_ref()
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                        .unwrap_or_default();
                    if ui
                        .add(egui::TextEdit::singleline(&mut text).desired_width(220.0))
                        .labelled_by(label.id)
                        .changed()
                    {
                        updated = Some(Value::String(text));
                    }
                }
            }
            let empty = current.as_ref().is_none_or(|v| {
                v.is_null() || v.as_str() == Some("") || v.as_array().is_some_and(Vec::is_empty)
            });
            if field.required && empty {
                ui.label(
                    RichText::new(crate::tr!("editor-required"))
                        .small()
                        .color(tokens.warning),
                );
            }
        });
        if let Some(value) = updated {
            let mut config = config.as_object().cloned().unwrap_or_default();
            config.insert(field.name.clone(), value);
            self.draft.set_config(&node.id, Some(Value::Object(config)));
        }
    }

    fn config_json_ui(&mut self, ui: &mut Ui, tokens: &Tokens, node: &Node) {
        let key = format!("{}\u{1f}*", node.id);
        let text = self.json_texts.entry(key).or_insert_with(|| {
            node.config_value().map_or_else(String::new, |v| {
                serde_json::to_string_pretty(&v).unwrap_or_default()
            })
        });
        let label = ui.label(crate::tr!("editor-settings-json-hint"));
        let response = ui
            .add(
                egui::TextEdit::multiline(text)
                    .code_editor()
                    .desired_rows(4)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if response.changed() {
            if text.trim().is_empty() {
                self.draft.set_config(&node.id, None);
            } else {
                match serde_json::from_str::<Value>(text) {
                    Ok(value) if value.is_object() => self.draft.set_config(&node.id, Some(value)),
                    _ => {
                        ui.label(
                            RichText::new(crate::tr!("editor-json-invalid")).color(tokens.error),
                        );
                    }
                }
            }
        }
    }

    /// The question before saving: what changes, then Save or Keep editing.
    pub fn confirm_ui(&mut self, ctx: &egui::Context, output: &mut EditorOutput) {
        if !self.confirm_save {
            return;
        }
        let changes = self.draft.changes();
        let mut open = true;
        egui::Window::new(crate::tr!(
            "editor-confirm-title",
            workflow = self.draft.current().name.as_str()
        ))
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
        .open(&mut open)
        .show(ctx, |ui| {
            for line in change_lines(&changes, self.is_new, self.draft.current()) {
                ui.label(line);
            }
            ui.horizontal(|ui| {
                if ui.button(crate::tr!("editor-confirm-save")).clicked() {
                    self.confirm_save = false;
                    output.save = true;
                }
                if ui.button(crate::tr!("editor-keep-editing")).clicked() {
                    self.confirm_save = false;
                }
            });
        });
        if !open {
            self.confirm_save = false;
        }
    }

    /// The question about leaving unsaved edits: Discard or Keep editing.
    pub fn leave_ui(&mut self, ctx: &egui::Context, output: &mut EditorOutput) {
        if !self.leave_asked {
            return;
        }
        egui::Window::new(crate::tr!("editor-leave-title"))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
            .show(ctx, |ui| {
                ui.label(crate::tr!(
                    "editor-leave-body",
                    workflow = self.draft.current().name.as_str()
                ));
                ui.horizontal(|ui| {
                    if ui.button(crate::tr!("editor-discard")).clicked() {
                        self.leave_asked = false;
                        output.discard = true;
                    }
                    if ui.button(crate::tr!("editor-keep-editing")).clicked() {
                        self.leave_asked = false;
                    }
                });
            });
    }
}

/// What a save changes, in lines for the question.
pub fn change_lines(changes: &Changes, is_new: bool, workflow: &Workflow) -> Vec<String> {
    if is_new {
        return vec![crate::tr!(
            "editor-change-new",
            count = workflow.nodes.len()
        )];
    }
    let list = |ids: &[String]| ids.join(", ");
    let mut lines = Vec::new();
    if !changes.added.is_empty() {
        lines.push(crate::tr!(
            "editor-change-added",
            count = changes.added.len(),
            nodes = list(&changes.added)
        ));
    }
    if !changes.removed.is_empty() {
        lines.push(crate::tr!(
            "editor-change-removed",
            count = changes.removed.len(),
            nodes = list(&changes.removed)
        ));
    }
    if !changes.changed.is_empty() {
        lines.push(crate::tr!(
            "editor-change-changed",
            count = changes.changed.len(),
            nodes = list(&changes.changed)
        ));
    }
    if changes.renamed {
        lines.push(crate::tr!(
            "editor-change-renamed",
            workflow = workflow.name.as_str()
        ));
    }
    if changes.entry_changed {
        lines.push(crate::tr!(
            "editor-change-entry",
            node = workflow.entry_node_id.clone().unwrap_or_default()
        ));
    }
    lines
}
