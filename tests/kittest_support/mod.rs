//! The egui_kittest set-up the UI tests share: a harness drawn with the console's fonts, and a
//! bounded wait for the background runtime. Only the UI test files include it.
// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use egui_kittest::{Harness, HarnessBuilder};

/// How long `step_until` waits before it fails the test (generous: debug builds on a busy
/// machine, real HTTP to a sandbox on 127.0.0.1).
pub const WAIT: Duration = Duration::from_secs(30);

/// Frames run after the awaited state appears, so windows and popups that open with it have
/// been laid out before the test clicks them.
const SETTLE_FRAMES: usize = 3;

/// A harness builder for a screen of `size`, with the fonts the console loads, so app names in
/// any script (the demo data has Japanese and Chinese names) draw as they do in the window;
/// `.ci/run` installs a CJK font.
pub fn builder<State>(size: egui::Vec2) -> HarnessBuilder<State> {
    Harness::builder()
        .with_size(size)
        .with_context_setup(|ctx| {
            let dirs = connect_console::ui::fonts::system_font_dirs();
            connect_console::ui::fonts::install_hangul_fallback(ctx, &dirs);
        })
}

/// A harness builder whose fonts come from `font_dirs` only (none: egui's and the bundled
/// Hangul font), so a test never depends on this machine's fonts. Characters nothing draws
/// (the demo data's Japanese and Chinese names, without a CJK font) show as boxes instead of
/// failing the frame; tests check the glyphs they care about themselves.
pub fn builder_with_fonts<State>(
    size: egui::Vec2,
    font_dirs: Vec<std::path::PathBuf>,
) -> HarnessBuilder<State> {
    Harness::builder()
        .with_size(size)
        .allow_missing_glyphs()
        .with_context_setup(move |ctx| {
            connect_console::ui::fonts::install_hangul_fallback(ctx, &font_dirs);
        })
}

/// Steps frames until `done` holds for the state, then a few more; fails the test naming `what`
/// after `WAIT`, so a test whose answer never comes cannot hang.
#[track_caller]
pub fn step_until<State>(
    harness: &mut Harness<'_, State>,
    what: &str,
    done: impl Fn(&State) -> bool,
) {
    let start = Instant::now();
    let mut frames = 0_u32;
    while start.elapsed() < WAIT {
        harness.step();
        frames += 1;
        if done(harness.state()) {
            harness.run_steps(SETTLE_FRAMES);
            return;
        }
        // The runtime answers on other threads; give them the time instead of spinning.
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("timed out after {WAIT:?} ({frames} frames) waiting for {what}");
}

/// Steps the console until `done` holds, then a few more frames. Between frames it waits for
/// the runtime's next event (at most a tenth of a second, for timers), never a fixed sleep;
/// fails the test naming `what` after `WAIT`.
#[track_caller]
pub fn step_console_until(
    harness: &mut Harness<'_, connect_console::ui::ConsoleApp>,
    what: &str,
    done: impl Fn(&connect_console::ui::ConsoleApp) -> bool,
) {
    let start = Instant::now();
    let mut frames = 0_u32;
    while start.elapsed() < WAIT {
        let seen = harness.state().backend().events_sent();
        harness.step();
        frames += 1;
        if done(harness.state()) {
            harness.run_steps(SETTLE_FRAMES);
            return;
        }
        harness
            .state()
            .backend()
            .wait_for_event_after(seen, Duration::from_millis(100));
    }
    panic!("timed out after {WAIT:?} ({frames} frames) waiting for {what}");
}
