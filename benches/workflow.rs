//! Workflow benchmarks: graph + lint + layout of a 1,000-node workflow (target: layout at most
//! 10 ms), and one headless frame of the viewer with a 200-node workflow (a plain
//! `egui::Context::run_ui` on a fixed 1280x800 screen, no GPU). Prints medians of the CPU time
//! of this thread.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use connect_console::api::App;
use connect_console::ui::workflow_view::{WorkflowView, view_layout_config};
use connect_console::workflow::{self, Graph, LayoutConfig, ProviderState, sample};

const LAYOUT_RUNS: usize = 31;
const FRAME_RUNS: usize = 61;

/// CPU time used by the current thread so far.
#[allow(unsafe_code)]
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec for the duration of the call.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

fn median_of(runs: usize, mut work: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = thread_cpu_time();
            work();
            thread_cpu_time().saturating_sub(started)
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

fn app_with(workflow: connect_console::api::Workflow) -> App {
    let mut app: App = serde_json::from_value(serde_json::json!({
        "clientId": "BENCH", "name": "Benchmark app",
        "providers": {"passport": {"enabled": true}}
    }))
    .expect("app");
    app.default_workflow_id = Some(workflow.workflow_id.clone());
    app.workflows = vec![workflow];
    app
}

fn bench_layout() {
    let workflow = sample::large_workflow(1000);
    let graph = Graph::build(&workflow);
    let config = LayoutConfig::default();
    let app = app_with(workflow.clone());
    let placed = workflow::layout(&graph, &config);
    println!(
        "1,000-node workflow: {} edges, {} layers, drawing {:.0} x {:.0} points",
        graph.edges.len(),
        placed.layer_count,
        placed.width,
        placed.height
    );
    let build = median_of(LAYOUT_RUNS, || {
        std::hint::black_box(Graph::build(&workflow));
    });
    let lint = median_of(LAYOUT_RUNS, || {
        std::hint::black_box(workflow::lint(&workflow, &graph, &ProviderState::of(&app)));
    });
    let layout = median_of(LAYOUT_RUNS, || {
        std::hint::black_box(workflow::layout(&graph, &config));
    });
    println!(
        "  graph build: median {} over {LAYOUT_RUNS} runs",
        ms(build)
    );
    println!("  lint:        median {} over {LAYOUT_RUNS} runs", ms(lint));
    println!(
        "  layout:      median {} over {LAYOUT_RUNS} runs (target <= 10 ms: {})",
        ms(layout),
        if layout <= Duration::from_millis(10) {
            "met"
        } else {
            "MISSED"
        }
    );
    // The viewer lays out with its own card sizes; same graph, for reference.
    let view_layout = median_of(LAYOUT_RUNS, || {
        std::hint::black_box(workflow::layout(&graph, &view_layout_config()));
    });
    println!(
        "  layout with the viewer's card sizes: median {}",
        ms(view_layout)
    );
}

/// A harder shape: a 1,000-node chain where every step can also jump to one shared "rejected"
/// response at the bottom, so most edges span hundreds of layers and need waypoints.
fn bench_layout_worst_case() {
    let count = 1000;
    let id = |i: usize| format!("n{i:04}");
    let nodes: Vec<serde_json::Value> = (0..count)
        .map(|i| match i {
            0 => serde_json::json!({"id": id(0), "type": "request", "next": id(1)}),
            _ if i == count - 1 => serde_json::json!({"id": id(i), "type": "response"}),
            _ if i == count - 2 => serde_json::json!({"id": id(i), "type": "response"}),
            _ => serde_json::json!({"id": id(i), "type": "if", "next": [
                {"condition": {"field": "input.loa", "operator": "gte", "value": 2}, "next": id(i + 1)},
                {"default": true, "next": id(count - 1)}]}),
        })
        .collect();
    let workflow: connect_console::api::Workflow = serde_json::from_value(serde_json::json!({
        "workflowId": "wf_worst", "name": "worst", "entryNodeId": id(0), "nodes": nodes}))
    .expect("workflow");
    let graph = Graph::build(&workflow);
    let config = LayoutConfig::default();
    let layout = median_of(5, || {
        std::hint::black_box(workflow::layout(&graph, &config));
    });
    println!(
        "1,000-node chain where every step can jump to one shared response ({} edges, most spanning hundreds of layers): layout median {} over 5 runs",
        graph.edges.len(),
        ms(layout)
    );
}

fn raw_input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..egui::RawInput::default()
    }
}

fn bench_frame(name: &str, workflow: connect_console::api::Workflow) {
    let nodes = workflow.nodes.len();
    let app = app_with(workflow);
    let ctx = egui::Context::default();
    let mut view = WorkflowView::new(&app);
    let frame = |view: &mut WorkflowView, tessellate: bool| {
        let output = ctx.run_ui(raw_input(), |ui| {
            let _ = view.ui(ui);
        });
        if tessellate {
            std::hint::black_box(ctx.tessellate(output.shapes, output.pixels_per_point));
        }
    };
    // Warm up: fonts, galley caches, the first fit.
    for _ in 0..5 {
        frame(&mut view, true);
    }

    let fit_ui = median_of(FRAME_RUNS, || frame(&mut view, false));
    let fit_full = median_of(FRAME_RUNS, || frame(&mut view, true));
    println!(
        "viewer frame, {name} ({nodes} nodes) at fit zoom {:.0}% ({} cards on screen, summaries shown):",
        view.zoom() * 100.0,
        view.drawn_cards()
    );
    println!("  ui pass: median {} over {FRAME_RUNS} frames", ms(fit_ui));
    println!("  ui pass + tessellation: median {}", ms(fit_full));

    // Zoomed out as far as the view allows (summaries hidden below 45%).
    while view.zoom() > 0.16 {
        view.zoom_by(0.8);
        frame(&mut view, false);
    }
    for _ in 0..5 {
        frame(&mut view, true);
    }
    let all_ui = median_of(FRAME_RUNS, || frame(&mut view, false));
    let all_full = median_of(FRAME_RUNS, || frame(&mut view, true));
    println!(
        "viewer frame, {name} ({nodes} nodes) zoomed out to {:.0}% ({} cards on screen):",
        view.zoom() * 100.0,
        view.drawn_cards()
    );
    println!("  ui pass: median {} over {FRAME_RUNS} frames", ms(all_ui));
    println!("  ui pass + tessellation: median {}", ms(all_full));
}

/// Editing a 200-node workflow (target: a frame under 4 ms): each frame makes one edit (a
/// node's settings), so the graph is linted and laid out again, and draws it with the editor's
/// panel open; and a frame of the editor with no edit.
fn bench_editing() {
    let workflow = sample::large_workflow(200);
    let nodes = workflow.nodes.len();
    let target = workflow.nodes[100].id.clone();
    let app = app_with(workflow);
    let ctx = egui::Context::default();
    let mut view = WorkflowView::new(&app);
    let _ = view.start_editing(None);
    view.node_types_loaded("BENCH", workflow::edit::documented_node_types());
    view.select_node(&target);
    let frame = |view: &mut WorkflowView| {
        let output = ctx.run_ui(raw_input(), |ui| {
            let _ = view.ui(ui);
        });
        std::hint::black_box(ctx.tessellate(output.shapes, output.pixels_per_point));
    };
    for _ in 0..5 {
        frame(&mut view);
    }
    let mut level = 0;
    let edit_and_frame = median_of(FRAME_RUNS, || {
        level = (level + 1) % 5;
        view.editor()
            .unwrap()
            .draft
            .set_config(&target, Some(serde_json::json!({"minLoa": level})));
        frame(&mut view);
    });
    let idle = median_of(FRAME_RUNS, || frame(&mut view));
    println!("editor, {nodes}-node workflow with the node's settings open:");
    println!(
        "  an edit and the frame that shows it (lint and layout again): median {} over {FRAME_RUNS} (target < 4 ms: {})",
        ms(edit_and_frame),
        if edit_and_frame < Duration::from_millis(4) {
            "met"
        } else {
            "MISSED"
        }
    );
    println!("  a frame without an edit: median {}", ms(idle));
}

fn main() {
    bench_editing();
    bench_layout();
    bench_layout_worst_case();
    bench_frame("long chain", sample::large_workflow(200));
    bench_frame("wide fan", sample::wide_workflow(200, 20));
}
