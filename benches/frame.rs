//! CPU time of one console frame with 10,000 apps loaded, headless (an egui context, no GPU):
//! idle, and while typing into the search box. Prints median and 95th percentile, with and
//! without tessellation. The apps come from the embedded sandbox on 127.0.0.1.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use connect_console::clipboard::FakeClipboard;
use connect_console::runtime::Backend;
use connect_console::sandbox::SandboxConfig;
use connect_console::ui::ConsoleApp;
use connect_console::ui::state::LoadState;

const APPS: usize = 10_000;
const FRAMES: usize = 300;

fn main() {
    let backend = Backend::embedded_sandbox(SandboxConfig {
        port: 0,
        demo: false,
        generated_apps: APPS,
        seed: Some(7),
        ..SandboxConfig::default()
    })
    .expect("embedded sandbox")
    .without_activity_log();
    let ctx = egui::Context::default();
    connect_console::ui::fonts::install_hangul_fallback(&ctx, &[]);
    let mut app = ConsoleApp::new(backend, Box::new(FakeClipboard::default()), &ctx);
    let mut clock = 0.0;

    let deadline = Instant::now() + Duration::from_secs(60);
    while !matches!(app.state.load, LoadState::Ready) {
        assert!(Instant::now() < deadline, "the apps did not load in 60 s");
        frame(&ctx, &mut app, &mut clock, Vec::new());
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(app.state.apps.len(), APPS);
    for _ in 0..30 {
        frame(&ctx, &mut app, &mut clock, Vec::new());
    }

    println!("one frame of the console with {APPS} apps, 1280x800, {FRAMES} frames each");
    let idle = measure(&ctx, &mut app, &mut clock, |_| Vec::new());
    report("idle", &idle);

    // Ctrl+F focuses the search box; then each frame types or deletes one character, so the
    // filter runs over all rows every frame.
    let focus = vec![egui::Event::Key {
        key: egui::Key::F,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: egui::Modifiers::COMMAND,
    }];
    frame(&ctx, &mut app, &mut clock, focus);
    frame(&ctx, &mut app, &mut clock, Vec::new());
    assert!(
        ctx.memory(|m| m.focused().is_some()),
        "Ctrl+F did not focus the search box"
    );
    let typing = measure(&ctx, &mut app, &mut clock, |i| {
        let step = i % 8;
        if step < 4 {
            vec![egui::Event::Text(["a", "p", "p", " "][step].into())]
        } else {
            vec![egui::Event::Key {
                key: egui::Key::Backspace,
                physical_key: None,
                pressed: true,
                repeat: false,
                modifiers: egui::Modifiers::NONE,
            }]
        }
    });
    report("filtering (one keystroke per frame)", &typing);
}

/// Frame times: (run_ui only, run_ui + tessellate).
fn measure(
    ctx: &egui::Context,
    app: &mut ConsoleApp,
    clock: &mut f64,
    events: impl Fn(usize) -> Vec<egui::Event>,
) -> (Vec<Duration>, Vec<Duration>) {
    let mut ui_times = Vec::with_capacity(FRAMES);
    let mut all_times = Vec::with_capacity(FRAMES);
    for i in 0..FRAMES {
        let (ui_time, all_time) = frame(ctx, app, clock, events(i));
        ui_times.push(ui_time);
        all_times.push(all_time);
    }
    (ui_times, all_times)
}

fn frame(
    ctx: &egui::Context,
    app: &mut ConsoleApp,
    clock: &mut f64,
    events: Vec<egui::Event>,
) -> (Duration, Duration) {
    *clock += 1.0 / 60.0;
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        time: Some(*clock),
        focused: true,
        events,
        ..Default::default()
    };
    let start = Instant::now();
    let output = ctx.run_ui(input, |ui| app.ui(ui));
    let ui_time = start.elapsed();
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    let all_time = start.elapsed();
    std::hint::black_box(primitives);
    (ui_time, all_time)
}

fn report(label: &str, (ui_times, all_times): &(Vec<Duration>, Vec<Duration>)) {
    let (ui_median, ui_p95) = median_p95(ui_times);
    let (all_median, all_p95) = median_p95(all_times);
    println!(
        "{label:>38}: ui {:.3} ms median, {:.3} ms p95 | ui + tessellate {:.3} ms median, {:.3} ms p95",
        ms(ui_median),
        ms(ui_p95),
        ms(all_median),
        ms(all_p95)
    );
}

fn median_p95(times: &[Duration]) -> (Duration, Duration) {
    let mut sorted = times.to_vec();
    sorted.sort();
    (sorted[sorted.len() / 2], sorted[sorted.len() * 95 / 100])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
