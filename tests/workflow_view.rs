//! The workflow viewer driven with egui_kittest, on the sandbox's demo apps (127.0.0.1).

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod kittest_support;

use std::collections::VecDeque;
use std::path::PathBuf;

use connect_console::api::{App, Workflow};
use connect_console::runtime::{Command, FileContents};
use connect_console::ui::command::{self, CommandContext, Screen};
use connect_console::ui::workflow_view::WorkflowView;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// The demo apps, read once through the client from a sandbox on 127.0.0.1.
fn demo_apps() -> Vec<App> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (sandbox, apps) = common::demo_sandbox().await;
        sandbox.stop().await;
        apps
    })
}

/// The view, played by the test as the console's shell and runtime would: keys through the
/// command list, dialogs answered from a queue of paths, files written at once.
struct Viewer {
    view: WorkflowView,
    closed: bool,
    /// Paths the "dialogs" answer with; an empty queue is a cancelled dialog.
    paths: VecDeque<PathBuf>,
    /// Titles of the dialogs asked for.
    asked: Vec<String>,
    /// The simulator's asks of the runtime: loads (workflow ids), saves (texts), forgets.
    sim_loads: Vec<String>,
    sim_saves: Vec<String>,
    sim_forgets: usize,
}

impl Viewer {
    fn run(&mut self, commands: Vec<Command>) {
        for command in commands {
            match command {
                Command::Dialog { request, .. } => {
                    self.asked.push(request.title);
                    let path = self.paths.pop_front();
                    let more = self.view.file_chosen(request.purpose, path);
                    self.run(more);
                }
                Command::WriteFile { path, contents, .. } => {
                    let result = match contents {
                        FileContents::Bytes(bytes) => {
                            std::fs::write(&path, bytes.as_slice()).map_err(|e| e.to_string())
                        }
                        _ => Err("not written by this test".to_owned()),
                    };
                    self.view.file_written(&path, result);
                }
                Command::LoadSimulationInput { workflow_id, .. } => {
                    self.sim_loads.push(workflow_id)
                }
                Command::SaveSimulationInput { text, .. } => self.sim_saves.push(text),
                Command::ForgetSimulationInputs => self.sim_forgets += 1,
                other => panic!("the view asked for {other:?}"),
            }
        }
    }
}

fn viewer(app: &App, paths: Vec<PathBuf>) -> Harness<'static, Viewer> {
    viewer_sized(app, paths, egui::vec2(1280.0, 1000.0))
}

fn viewer_sized(app: &App, paths: Vec<PathBuf>, size: egui::Vec2) -> Harness<'static, Viewer> {
    let state = Viewer {
        view: WorkflowView::new(app),
        closed: false,
        paths: paths.into(),
        asked: Vec::new(),
        sim_loads: Vec::new(),
        sim_saves: Vec::new(),
        sim_forgets: 0,
    };
    let mut harness = kittest_support::builder(size).build_ui_state(
        |ui, state: &mut Viewer| {
            let context = CommandContext {
                screen: Screen::Workflow,
                capabilities: connect_console::backends::Capabilities::WORKSPACE,
                has_selection: false,
                dark_mode: true,
                loading: false,
                busy: false,
            };
            for command in command::pressed(ui.ctx(), &context) {
                state.view.run(command);
            }
            let output = state.view.ui(ui);
            state.closed |= output.close;
            state.run(output.commands);
        },
        state,
    );
    harness.run();
    harness
}

fn pick_workflow(harness: &mut Harness<'static, Viewer>, name: &str) {
    harness.get_by_label("Workflow").click();
    harness.run();
    harness.get_by_label(name).click();
    harness.run();
}

#[test]
fn opens_on_the_default_workflow_and_a_clicked_node_shows_its_config() {
    let apps = demo_apps();
    let mut harness = viewer(&apps[0], Vec::new());
    harness.get_by_label("No problems found");
    // The picker marks the default workflow.
    harness.get_by_label("Workflow").click();
    harness.run();
    // The default workflow named "Default" is not called "Default (default)".
    harness.get_by_label("Default");
    assert!(harness.query_by_label("Default (default)").is_none());
    harness.get_by_label("Workflow").click();
    harness.run();
    assert_eq!(harness.state().view.workflow().unwrap().name, "Default");

    pick_workflow(&mut harness, "KYC with age and nationality routing");
    assert_eq!(
        harness.state().view.workflow().unwrap().name,
        "KYC with age and nationality routing"
    );
    // Every node has a card, found by its label.
    for id in [
        "nd_request",
        "nd_verify",
        "nd_min_loa",
        "nd_route",
        "nd_approve",
    ] {
        harness.get_by_label(&format!("Node {id}"));
    }
    harness.get_by_label("Node nd_min_loa").click();
    harness.run();
    assert_eq!(harness.state().view.selected_node(), Some("nd_min_loa"));
    harness.get_by_label("Inspector: nd_min_loa");
    harness.get_by_label("Require LoA >= 2");
    harness.get_by_label("Min loa");
    harness.get_by_label_contains("\"minLoa\": 2");

    harness.get_by_label("Close inspector").click();
    harness.run();
    assert_eq!(harness.state().view.selected_node(), None);
    assert!(harness.query_by_label("Inspector: nd_min_loa").is_none());

    harness.get_by_label("Close").click();
    harness.run();
    assert!(harness.state().closed);
}

#[test]
fn clicking_a_lint_finding_selects_and_centres_its_node() {
    let apps = demo_apps();
    let mut harness = viewer(&apps[1], Vec::new());
    pick_workflow(&mut harness, "Broken draft (has problems)");
    harness.get_by_label("Problems: 3 error(s), 2 warning(s)");
    harness
        .get_by_label("Error: \"nd_orphan\" goes to \"nd_missing\", which does not exist")
        .click();
    harness.run();
    assert_eq!(harness.state().view.selected_node(), Some("nd_orphan"));
    harness.get_by_label("Inspector: nd_orphan");
    // Centred: the card sits in the middle of the graph area, left of the inspector.
    let card = harness.get_by_label("Node nd_orphan").rect();
    let canvas_middle_x = (1280.0 - 360.0) / 2.0;
    assert!(
        (card.center().x - canvas_middle_x).abs() < 40.0,
        "card at {card:?}"
    );

    harness
        .get_by_label("Warning: \"nd_done\" cannot be reached from the entry node")
        .click();
    harness.run();
    assert_eq!(harness.state().view.selected_node(), Some("nd_done"));
}

#[test]
fn zoom_buttons_keys_and_fit() {
    let apps = demo_apps();
    let mut harness = viewer(&apps[2], Vec::new());
    pick_workflow(&mut harness, "Enterprise onboarding (40 steps)");
    let fitted = harness.state().view.zoom();
    // A 40-step flow fits whole, zoomed far out (its text stays at 11 points).
    assert!(fitted < 0.7, "fit zoom {fitted}");
    assert_eq!(harness.state().view.drawn_cards(), 40);
    assert!(!harness.state().view.minimap_shown());
    harness.get_by_label("Node n00");
    for _ in 0..4 {
        harness.get_by_label("Zoom in").click();
        harness.run();
    }
    assert!(harness.state().view.zoom() > fitted);
    // Larger than the view now: a minimap shows the whole graph and where the view is.
    assert!(harness.state().view.minimap_shown());
    harness.get_by_label("Minimap");
    harness.get_by_label("Fit").click();
    harness.run();
    assert!((harness.state().view.zoom() - fitted).abs() < 0.001);

    harness.hover_at(egui::pos2(400.0, 300.0));
    harness.run();
    harness.key_press(egui::Key::Minus);
    harness.run();
    assert!(harness.state().view.zoom() < fitted);
    harness.key_press(egui::Key::F);
    harness.run();
    assert!((harness.state().view.zoom() - fitted).abs() < 0.001);

    // The wheel pans (egui's convention); Ctrl+wheel zooms.
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, -120.0),
        modifiers: egui::Modifiers::NONE,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
    });
    harness.run();
    assert!(
        (harness.state().view.zoom() - fitted).abs() < 0.001,
        "the wheel zoomed"
    );
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, 120.0),
        modifiers: egui::Modifiers::COMMAND,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
    });
    harness.run();
    assert!(
        harness.state().view.zoom() > fitted,
        "Ctrl+wheel did not zoom"
    );
}

#[test]
fn arrow_keys_walk_the_graph() {
    let apps = demo_apps();
    let mut harness = viewer(&apps[0], Vec::new());
    pick_workflow(&mut harness, "KYC with age and nationality routing");
    harness.hover_at(egui::pos2(400.0, 300.0));
    harness.run();
    let mut press = |key| {
        harness.key_press(key);
        harness.run();
        harness.state().view.selected_node().map(str::to_owned)
    };
    assert_eq!(press(egui::Key::ArrowDown).as_deref(), Some("nd_request"));
    assert_eq!(press(egui::Key::ArrowDown).as_deref(), Some("nd_verify"));
    assert_eq!(press(egui::Key::ArrowUp).as_deref(), Some("nd_request"));
    for expected in [
        "nd_verify",
        "nd_min_loa",
        "nd_evaluate",
        "nd_route",
        "nd_approve",
    ] {
        assert_eq!(press(egui::Key::ArrowDown).as_deref(), Some(expected));
    }
    assert_eq!(press(egui::Key::ArrowUp).as_deref(), Some("nd_route"));
    // Sideways within a layer: nd_claim and nd_reject share one.
    harness.get_by_label("Node nd_claim").click();
    harness.run();
    let claim = harness.get_by_label("Node nd_claim").rect();
    let reject = harness.get_by_label("Node nd_reject").rect();
    let (towards_reject, back) = if claim.center().x < reject.center().x {
        (egui::Key::ArrowRight, egui::Key::ArrowLeft)
    } else {
        (egui::Key::ArrowLeft, egui::Key::ArrowRight)
    };
    harness.hover_at(egui::pos2(400.0, 300.0));
    harness.key_press(towards_reject);
    harness.run();
    assert_eq!(harness.state().view.selected_node(), Some("nd_reject"));
    harness.key_press(back);
    harness.run();
    assert_eq!(harness.state().view.selected_node(), Some("nd_claim"));
}

#[test]
fn the_table_lists_nodes_in_order_and_selects_them() {
    let apps = demo_apps();
    let mut harness = viewer(&apps[0], Vec::new());
    pick_workflow(&mut harness, "KYC with age and nationality routing");
    harness.get_by_label("Table").click();
    harness.run();
    let request = harness.get_by_label("Request (entry)").rect();
    let verify = harness.get_by_label("Verification").rect();
    let check = harness.get_by_label("Check claim").rect();
    assert!(request.top() < verify.top() && verify.top() < check.top());
    harness.get_by_label("Require birthdate exists").click();
    harness.run();
    assert_eq!(harness.state().view.selected_node(), Some("nd_claim"));
    harness.get_by_label("Inspector: nd_claim");
}

#[test]
fn exports_json_and_asks_where_to_save_the_png() {
    let apps = demo_apps();
    let dir = tempfile::tempdir().unwrap();
    let json_path = dir.path().join("kyc.json");
    let png_path = dir.path().join("kyc.png");
    let mut harness = viewer(&apps[0], vec![json_path.clone(), png_path]);
    pick_workflow(&mut harness, "KYC with age and nationality routing");
    harness.get_by_label("Export JSON…").click();
    harness.run();
    let saved: Workflow = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    assert_eq!(&saved, harness.state().view.workflow().unwrap());
    harness.get_by_label_contains("Saved to");

    // The PNG comes from a screenshot of the canvas; this headless harness has no renderer,
    // so the view must say the picture did not arrive instead of waiting for ever.
    let zoom_before = harness.state().view.zoom();
    harness.get_by_label("Export PNG…").click();
    harness.run_steps(130);
    // The picture shows the whole graph; afterwards the view is as it was.
    assert!((harness.state().view.zoom() - zoom_before).abs() < 0.001);
    assert_eq!(
        harness.state().asked.as_slice(),
        ["Export workflow as JSON", "Export graph as PNG"]
    );
    harness.get_by_label_contains("did not arrive");

    // Cancelling the dialog does nothing.
    harness.get_by_label("Export JSON…").click();
    harness.run();
    assert_eq!(harness.state().asked.len(), 3);

    // No dialog on this system: the view says so and offers a path to type.
    harness.state_mut().view.dialog_unavailable(
        connect_console::runtime::FilePurpose::WorkflowJson,
        "No file dialog can open on this system",
    );
    harness.run();
    harness.get_by_label_contains("No file dialog can open");
    let typed = dir.path().join("typed.json");
    harness.get_by_label("Save to").focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Save to")
        .type_text(typed.to_str().unwrap());
    harness.run();
    harness.get_by_label("Save").click();
    harness.run();
    assert!(typed.exists());
}

#[test]
fn workflows_fetched_separately_can_be_shown() {
    let apps = demo_apps();
    let listed = App {
        workflows: Vec::new(),
        ..apps[0].clone()
    };
    let view = WorkflowView::with_workflows(&listed, apps[0].workflows.clone());
    assert_eq!(view.workflow().unwrap().name, "Default");
}

#[test]
fn an_app_without_workflows_says_so() {
    let app = App {
        client_id: "X".into(),
        name: "Empty".into(),
        ..App::default()
    };
    let harness = viewer(&app, Vec::new());
    harness.get_by_label("This app has no workflows to show");
}

#[test]
fn the_kyc_flow_fits_whole_in_a_small_window() {
    let apps = demo_apps();
    let mut harness = viewer_sized(&apps[0], Vec::new(), egui::vec2(1024.0, 700.0));
    pick_workflow(&mut harness, "KYC with age and nationality routing");
    harness.run();
    let view = &harness.state().view;
    let nodes = view.workflow().unwrap().nodes.len();
    assert_eq!(nodes, 8);
    assert_eq!(view.drawn_cards(), nodes, "every card is on screen");
    assert!(!view.minimap_shown(), "nothing is out of view");
    // Readable at fit: every card keeps its summary (text is never under 11 points).
    assert_eq!(view.summarised_cards(), nodes, "zoom {}", view.zoom());
    // Every card lies inside the window.
    for id in [
        "nd_request",
        "nd_verify",
        "nd_min_loa",
        "nd_evaluate",
        "nd_route",
        "nd_approve",
    ] {
        let card = harness.get_by_label(&format!("Node {id}")).rect();
        assert!(
            card.min.x >= 0.0 && card.min.y >= 0.0 && card.max.x <= 1024.0 && card.max.y <= 700.0,
            "{id} at {card:?}"
        );
    }
}

/// At 1024x700 the inspector takes its room beside the graph, never over the node it shows:
/// a node clicked at the right edge is still wholly on the canvas, left of the inspector.
#[test]
fn the_inspector_never_covers_the_selected_node() {
    let apps = demo_apps();
    let mut harness = viewer_sized(&apps[0], Vec::new(), egui::vec2(1024.0, 700.0));
    pick_workflow(&mut harness, "KYC with age and nationality routing");
    harness.run();
    // The card furthest right.
    let ids: Vec<String> = harness
        .state()
        .view
        .workflow()
        .unwrap()
        .nodes
        .iter()
        .map(|n| n.id.clone())
        .collect();
    let rightmost = ids
        .iter()
        .max_by(|a, b| {
            let x = |id: &str| harness.get_by_label(&format!("Node {id}")).rect().max.x;
            x(a).total_cmp(&x(b))
        })
        .unwrap()
        .clone();
    harness.get_by_label(&format!("Node {rightmost}")).click();
    harness.run();
    harness.run();
    let inspector = harness
        .get_by_label(&format!("Inspector: {rightmost}"))
        .rect();
    let card = harness.get_by_label(&format!("Node {rightmost}")).rect();
    assert!(
        card.max.x <= inspector.min.x && card.min.x >= 0.0,
        "card {card:?}, inspector from x = {}",
        inspector.min.x
    );
    assert!(card.max.y <= 700.0 && card.min.y >= 0.0, "{card:?}");
}

/// A dozen nodes in one long chain cannot fit whole at a readable size in 1024x700: it opens
/// readable from its top instead, every card on screen keeping its summary, and the wheel
/// scrolls to the rest.
#[test]
fn a_dozen_nodes_in_a_chain_open_readable() {
    let apps = demo_apps();
    let mut app = apps[0].clone();
    app.workflows = vec![connect_console::workflow::sample::large_workflow(12)];
    let mut harness = viewer_sized(&app, Vec::new(), egui::vec2(1024.0, 700.0));
    harness.run();
    let view = &harness.state().view;
    assert!(view.drawn_cards() >= 3, "{}", view.drawn_cards());
    assert_eq!(
        view.summarised_cards(),
        view.drawn_cards(),
        "zoom {}",
        view.zoom()
    );
    // The entry is on screen, at the top.
    let entry = harness.get_by_label("Node n0000").rect();
    assert!(entry.min.y >= 0.0 && entry.max.y <= 700.0, "{entry:?}");
    // The wheel scrolls down to the end.
    harness.hover_at(egui::pos2(300.0, 400.0));
    harness.run();
    for _ in 0..5 {
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -120.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        harness.run();
    }
    let end = harness.get_by_label("Node n0011").rect();
    assert!(end.min.y >= 0.0 && end.max.y <= 700.0, "{end:?}");
}

/// "Simulate…": the kept input replaces the example, Run draws the way taken on the graph
/// (visited nodes numbered, taken edges, the end marked) and lists the steps, a step selects
/// its node, a broken input is caught as it is typed, and the input run is kept.
#[test]
fn a_sample_user_is_run_through_the_workflow_and_drawn_on_the_graph() {
    use connect_console::workflow::Outcome;
    let apps = demo_apps();
    let mut harness = viewer_sized(&apps[0], Vec::new(), egui::vec2(1024.0, 700.0));
    pick_workflow(&mut harness, "KYC with age and nationality routing");
    harness.run();
    harness.get_by_label("Simulate…").click();
    harness.run();
    let workflow_id = harness.state().view.workflow().unwrap().workflow_id.clone();
    assert_eq!(harness.state().sim_loads, vec![workflow_id.clone()]);

    // The input kept on this computer for this workflow replaces the example.
    let swedish = r#"{"loa": 2, "user": {"nationality": "SE"},
        "provenance": {"presentation": {"credentials": [{"issuer": {"is_government": true}}]}}}"#;
    harness
        .state_mut()
        .view
        .simulation_input_loaded(&workflow_id, swedish.to_owned());
    harness.run();
    harness.get_by_label("Run").click();
    harness.run();
    {
        let view = &mut harness.state_mut().view;
        let run = view.simulator().unwrap().run.clone().unwrap();
        assert_eq!(run.outcome, Outcome::Completed);
        let path: Vec<&str> = run.steps().map(|s| s.node()).collect();
        assert_eq!(
            path,
            [
                "nd_request",
                "nd_verify",
                "nd_min_loa",
                "nd_evaluate",
                "nd_route",
                "nd_reject"
            ]
        );
        assert_eq!(run.response.unwrap()["result"], "rejected");
    }
    let overlay = harness.state().view.run_overlay().unwrap().clone();
    assert_eq!(overlay.steps_at.len(), 6, "six nodes numbered");
    assert_eq!(overlay.taken_edges.len(), 5, "five edges taken");
    assert!(matches!(overlay.end, Some((_, Outcome::Completed))));
    assert_eq!(harness.state().sim_saves.len(), 1, "the input run is kept");
    assert!(harness.state().sim_saves[0].contains("\"SE\""));
    harness.get_by_label_contains("The response says: rejected");

    // A step selects its node and says why.
    harness.get_by_label_contains("(nd_route)").click();
    harness.run();
    assert_eq!(harness.state().view.selected_node(), Some("nd_route"));

    // The Korean example takes the other route, through the birthdate check, to approval.
    harness.get_by_label("Korean adult, LoA 2").click();
    harness.run();
    harness.get_by_label("Run").click();
    harness.run();
    let run = harness
        .state_mut()
        .view
        .simulator()
        .unwrap()
        .run
        .clone()
        .unwrap();
    assert_eq!(run.last_step().unwrap().node(), "nd_approve");
    assert_eq!(run.step(5).node(), "nd_claim");

    // A broken input is caught as it is typed, and cannot be run.
    harness
        .state_mut()
        .view
        .simulator()
        .unwrap()
        .set_input("{\"loa\": ".to_owned());
    harness.run();
    harness.get_by_label_contains("the text ends too soon");
    harness.get_by_label("Run").click();
    harness.run();
    assert_eq!(
        harness.state().sim_saves.len(),
        2,
        "nothing new was run or kept"
    );

    harness.get_by_label("Forget saved inputs").click();
    harness.run();
    assert_eq!(harness.state().sim_forgets, 1);

    // Closing the panel clears the run from the graph.
    assert!(harness.state_mut().view.close_panel());
    harness.run();
    assert!(harness.state().view.run_overlay().is_none());
}
