//! The real console UI driven with egui_kittest, on the in-memory backend (the sandbox's stores
//! and rules, no server); the connection dialog and the import, whose subjects are a server and
//! its batch endpoint, run against the embedded sandbox on 127.0.0.1.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod kittest_support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use connect_console::api::{ApiError, Environment, ErrorKind, RetryPolicy, Workflow};
use connect_console::backends::memory::{Faults, MemoryWorkspace};
use connect_console::clipboard::FakeClipboard;
use connect_console::runtime::Backend;
use connect_console::sandbox::SandboxConfig;
use connect_console::ui::ConsoleApp;
use connect_console::ui::state::{LoadState, OpState};
use connect_console::workflow::edit::Draft;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use kittest_support::step_console_until as step_until;

/// The console on the in-memory demo workspace: the sandbox's demo apps and rules, no server.
fn memory_console() -> (
    Harness<'static, ConsoleApp>,
    FakeClipboard,
    Arc<MemoryWorkspace>,
) {
    memory_console_with(|backend| backend)
}

fn memory_console_with(
    setup: impl FnOnce(Backend) -> Backend,
) -> (
    Harness<'static, ConsoleApp>,
    FakeClipboard,
    Arc<MemoryWorkspace>,
) {
    memory_console_on(MemoryWorkspace::demo_workspace(3), setup)
}

/// The console on `workspace`, with `setup` applied to its backend first.
fn memory_console_on(
    workspace: Arc<MemoryWorkspace>,
    setup: impl FnOnce(Backend) -> Backend,
) -> (
    Harness<'static, ConsoleApp>,
    FakeClipboard,
    Arc<MemoryWorkspace>,
) {
    let backend = Backend::on(workspace.clone())
        .expect("runtime")
        .without_activity_log();
    let backend = setup(backend);
    let clipboard = FakeClipboard::default();
    let ctx = egui::Context::default();
    let app = ConsoleApp::new(backend, Box::new(clipboard.clone()), &ctx);
    (harness_for(app), clipboard, workspace)
}

/// The console on the embedded demo sandbox, with `setup` applied to its backend first (other
/// key stores, dialogs or journal folders).
fn console_with(
    config: SandboxConfig,
    setup: impl FnOnce(Backend) -> Backend,
) -> (Harness<'static, ConsoleApp>, FakeClipboard) {
    let backend = Backend::embedded_sandbox(SandboxConfig {
        port: 0,
        demo: true,
        seed: Some(3),
        ..config
    })
    .expect("embedded sandbox")
    .without_activity_log();
    let mut backend = setup(backend);
    backend.set_retry(RetryPolicy {
        max_attempts: 2,
        base_delay: Duration::from_millis(10),
        ..RetryPolicy::default()
    });
    let clipboard = FakeClipboard::default();
    let ctx = egui::Context::default();
    let app = ConsoleApp::new(backend, Box::new(clipboard.clone()), &ctx);
    (harness_for(app), clipboard)
}

/// The workflow the workflow view shows.
fn shown_workflow(harness: &Harness<'static, ConsoleApp>) -> Workflow {
    harness
        .state()
        .workflow_view()
        .and_then(|view| view.workflow())
        .expect("a workflow on screen")
        .clone()
}

/// The workflow editor's draft, edited as its form would.
fn draft<'h>(harness: &'h mut Harness<'static, ConsoleApp>) -> &'h mut Draft {
    &mut harness
        .state_mut()
        .view
        .workflow_mut()
        .expect("the workflow view")
        .editor()
        .expect("the editor")
        .draft
}

fn loaded(app: &ConsoleApp) -> bool {
    matches!(app.state.load, LoadState::Ready)
}

/// A change failed and waits in the notice bar.
fn failed_write(app: &ConsoleApp) -> bool {
    app.state
        .ops
        .values()
        .any(|op| matches!(op.state, OpState::Failed { .. }))
}

#[test]
fn list_shows_demo_apps_and_search_filters() {
    let (mut harness, _, _) = memory_console();
    step_until(&mut harness, "the apps", loaded);
    // The banner says where the apps are (the local sandbox's own banner is checked where the
    // console runs on it).
    harness.get_by_label_contains("memory://workspace");
    // The first app is selected, so its name is in the list and in the detail heading.
    assert_eq!(
        harness.query_all_by_label("Acme Bank Onboarding").count(),
        2
    );
    harness.get_by_label("한빛은행 본인확인");

    // Each row's Copy button is named after the id it copies.
    let id = harness.state().state.apps[4].client_id.clone();
    harness
        .get_by_label(&format!("Copy client id {id}"))
        .click();
    harness.run_steps(3);
    harness.get_by_label("Copied client id");

    let search = harness.get_by_label("Search");
    search.focus();
    search.type_text("さくら");
    harness.run_steps(3);
    assert!(harness.query_by_label("Nordic Wallet").is_none());
    assert!(harness.query_by_label("한빛은행 본인확인").is_none());
    harness.get_by_label("さくら証券 口座開設");
    harness.get_by_label("1 of 20 apps");
}

#[test]
fn arrow_keys_page_keys_home_and_end_move_the_selection() {
    let (mut harness, _, _) = memory_console();
    step_until(&mut harness, "the apps", loaded);
    let selected = |h: &Harness<'static, ConsoleApp>| {
        let app = h.state();
        let id = app.state.selected.clone().unwrap();
        app.state
            .apps
            .iter()
            .find(|a| a.id == id)
            .unwrap()
            .name
            .clone()
    };
    // The first app (by name) is selected at start.
    assert_eq!(selected(&harness), "Acme Bank Onboarding");
    harness.key_press(egui::Key::ArrowDown);
    harness.run_steps(2);
    assert_eq!(selected(&harness), "Café Élysée Loyalty");
    harness.key_press(egui::Key::ArrowUp);
    harness.key_press(egui::Key::ArrowUp);
    harness.run_steps(2);
    assert_eq!(
        selected(&harness),
        "Acme Bank Onboarding",
        "stops at the top"
    );
    harness.key_press(egui::Key::End);
    harness.run_steps(2);
    let last = selected(&harness);
    assert_ne!(last, "Acme Bank Onboarding");
    harness.key_press(egui::Key::PageUp);
    harness.run_steps(2);
    assert_ne!(selected(&harness), last);
    harness.key_press(egui::Key::Home);
    harness.run_steps(2);
    assert_eq!(selected(&harness), "Acme Bank Onboarding");
    // While the search box has the keys, the arrows are the text's.
    harness.get_by_label("Search").focus();
    harness.run_steps(1);
    harness.key_press(egui::Key::ArrowDown);
    harness.run_steps(2);
    assert_eq!(selected(&harness), "Acme Bank Onboarding");
}

#[test]
fn search_takes_words_in_any_order_in_the_list_and_the_palette_alike() {
    let (mut harness, _, _) = memory_console();
    step_until(&mut harness, "the apps", loaded);
    let search = harness.get_by_label("Search");
    search.focus();
    search.type_text("onboard acme");
    harness.run_steps(3);
    harness.get_by_label("1 of 20 apps");
    assert!(harness.query_by_label("Nordic Wallet").is_none());
    // A word of the client id counts too, beside a word of the name.
    let id = harness
        .state()
        .state
        .apps
        .iter()
        .find(|a| a.name == "Nordic Wallet")
        .unwrap()
        .client_id
        .clone();
    harness.state_mut().list.search = format!("{} wallet", &id[..4]);
    harness.run_steps(3);
    harness.get_by_label("1 of 20 apps");
    // The palette finds apps by the same rule.
    harness.state_mut().list.search.clear();
    harness.run_steps(2);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    harness.run_steps(3);
    let before = harness.get_by_label("Command or app").rect();
    harness
        .get_by_label("Command or app")
        .type_text("onboard acme");
    harness.run_steps(3);
    // The box stays put as the results shrink to one.
    let after = harness.get_by_label("Command or app").rect();
    assert!(
        (before.top() - after.top()).abs() < 1.0,
        "{before:?} -> {after:?}"
    );
    harness.get_by_label("Open Acme Bank Onboarding");
    assert!(harness.query_by_label("Open Nordic Wallet").is_none());
    // The palette's arrows move within the palette, never the list behind it.
    let before = harness.state().state.selected.clone();
    harness.key_press(egui::Key::ArrowDown);
    harness.run_steps(2);
    assert_eq!(harness.state().state.selected, before);
}

#[test]
fn create_shows_the_secret_once_and_copies_it_once() {
    let (mut harness, clipboard, _) = memory_console();
    step_until(&mut harness, "the apps", loaded);
    harness.get_by_label("Create app…").click();
    harness.run_steps(3);
    let name = harness.get_by_label("App name");
    name.focus();
    name.type_text("Kittest App");
    harness.run_steps(3);
    harness.get_by_label("Create").click();
    step_until(&mut harness, "the secret dialog", |app| {
        app.state.secret.is_some()
    });

    let secret = harness
        .state()
        .state
        .secret
        .as_ref()
        .unwrap()
        .secret
        .expose()
        .to_owned();
    let client_id = harness
        .state()
        .state
        .secret
        .as_ref()
        .unwrap()
        .client_id
        .clone();
    assert_eq!(
        harness.state().state.selected.as_deref(),
        Some(client_id.as_str())
    );
    harness.get_by_label_contains("shown only once");
    // The secret is shown as text that cannot be selected or edited: no text field holds it,
    // so copying goes only through the button.
    let shown: Vec<egui::accesskit::Role> = harness
        .query_all_by_value(&secret)
        .chain(harness.query_all_by_label(&secret))
        .map(|n| n.accesskit_node().role())
        .collect();
    assert!(!shown.is_empty());
    assert!(
        shown.iter().all(|r| *r == egui::accesskit::Role::Label),
        "{shown:?}"
    );

    harness.get_by_label("Copy secret").click();
    harness.run_steps(3);
    assert_eq!(*clipboard.copies.lock().unwrap(), 1);
    assert_eq!(
        clipboard.content.lock().unwrap().as_deref(),
        Some(secret.as_str())
    );
    let first_copy = harness.state().state.secret.as_ref().unwrap().copied_at;
    harness.get_by_label_contains("Paste it within");
    // The client id and the secret together, as two labelled lines.
    std::thread::sleep(Duration::from_millis(20));
    harness.get_by_label("Copy client ID + secret").click();
    harness.run_steps(3);
    assert_eq!(*clipboard.copies.lock().unwrap(), 2);
    assert_eq!(
        clipboard.content.lock().unwrap().clone().unwrap(),
        format!("Client ID: {client_id}\nClient secret: {secret}")
    );
    let second_copy = harness.state().state.secret.as_ref().unwrap().copied_at;
    assert!(second_copy > first_copy, "each copy restarts the minute");
    harness.get_by_label("Copy secret").click();
    harness.run_steps(3);
    assert_eq!(*clipboard.copies.lock().unwrap(), 3);

    // "Done" does nothing until the box is ticked; Esc does not close it either.
    harness.get_by_label("Done").click();
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
    assert!(harness.state().state.secret.is_some());
    harness
        .get_by_label("I have stored this secret safely")
        .click();
    harness.run_steps(3);
    harness.get_by_label("Done").click();
    harness.run_steps(3);
    assert!(harness.state().state.secret.is_none());
    // Closing keeps the secret on the clipboard: people paste after closing.
    assert_eq!(
        clipboard.content.lock().unwrap().as_deref(),
        Some(secret.as_str())
    );
    // Until a minute after the last copy, then it is emptied.
    let ctx = harness.ctx.clone();
    let last_copy = Instant::now();
    harness
        .state_mut()
        .expire_clipboard(last_copy + Duration::from_secs(50), &ctx);
    assert_eq!(
        clipboard.content.lock().unwrap().as_deref(),
        Some(secret.as_str())
    );
    harness
        .state_mut()
        .expire_clipboard(last_copy + Duration::from_secs(61), &ctx);
    assert_eq!(clipboard.content.lock().unwrap().as_deref(), None);
    // The new row is in the list, without its secret.
    let app = harness
        .state()
        .state
        .apps
        .iter()
        .find(|a| a.client_id == client_id)
        .unwrap();
    // The list's app holds no secret: its OIDC section is kept without one.
    assert!(app.oidc.as_ref().is_some_and(|o| o.client_secret.is_none()));
    // In the list and as the heading of the detail panel.
    assert_eq!(harness.query_all_by_label("Kittest App").count(), 2);
}

/// Something else copied since is never wiped: neither when the minute ends nor on exit; and a
/// secret still on the clipboard is wiped when the console exits before the minute ends.
#[test]
fn the_clipboard_is_emptied_only_while_it_holds_the_secret() {
    let (mut harness, clipboard, _) = memory_console();
    step_until(&mut harness, "the apps", loaded);
    harness.get_by_label("Create app…").click();
    harness.run_steps(3);
    let name = harness.get_by_label("App name");
    name.focus();
    name.type_text("Clipboard App");
    harness.run_steps(3);
    harness.get_by_label("Create").click();
    step_until(&mut harness, "the secret dialog", |app| {
        app.state.secret.is_some()
    });
    harness.get_by_label("Copy secret").click();
    harness.run_steps(3);
    // The user copies something else afterwards.
    *clipboard.content.lock().unwrap() = Some("an address the user copied".into());
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .expire_clipboard(Instant::now() + Duration::from_secs(61), &ctx);
    assert_eq!(
        clipboard.content.lock().unwrap().as_deref(),
        Some("an address the user copied")
    );

    // A fresh copy, then the console quits inside the minute: the secret goes with it.
    harness.get_by_label("Copy secret").click();
    harness.run_steps(3);
    assert!(clipboard.content.lock().unwrap().is_some());
    drop(harness);
    assert_eq!(clipboard.content.lock().unwrap().as_deref(), None);
}

/// Create takes an optional redirect URI, warns (without refusing) when the name is already
/// used, selects the new app and scrolls it into view, and confirms in the status bar.
#[test]
fn create_with_a_redirect_uri_warns_of_a_taken_name_and_shows_the_new_app() {
    let (mut harness, _, workspace) = memory_console();
    step_until(&mut harness, "the apps", loaded);
    let before = workspace.app_count();
    // Filter the list so the new app would be hidden: creating it must still show it.
    let search = harness.get_by_label("Search");
    search.focus();
    search.type_text("さくら");
    harness.run_steps(3);

    harness.get_by_label("Create app…").click();
    harness.run_steps(3);
    harness.get_by_label("App name").type_text("Nordic Wallet");
    harness.run_steps(3);
    harness.get_by_label_contains("Another app already has this name");
    // Still allowed here: this workspace takes duplicate names.
    assert!(
        !harness
            .get_by_label("Create")
            .accesskit_node()
            .is_disabled()
    );
    let name = harness.get_by_label("App name");
    name.focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("App name")
        .type_text("Nordic Wallet Kiosk");
    harness.run_steps(3);
    assert!(
        harness
            .query_by_label_contains("Another app already has")
            .is_none()
    );

    let uri = harness.get_by_label("Redirect URI (optional)");
    uri.focus();
    uri.type_text("http://kiosk.example/cb");
    harness.run_steps(3);
    harness.get_by_label_contains("Use https://");
    assert!(
        harness
            .get_by_label("Create")
            .accesskit_node()
            .is_disabled()
    );
    harness.get_by_label("Redirect URI (optional)").focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Redirect URI (optional)")
        .type_text("https://kiosk.example/cb");
    harness.run_steps(3);
    harness.get_by_label("Create").click();
    step_until(&mut harness, "the secret dialog", |app| {
        app.state.secret.is_some()
    });
    let client_id = harness
        .state()
        .state
        .secret
        .as_ref()
        .unwrap()
        .client_id
        .clone();
    // One app more, whose address the server saved (the row holds the server's answer).
    assert_eq!(workspace.app_count(), before + 1);
    let app = harness
        .state()
        .state
        .apps
        .iter()
        .find(|a| a.client_id == client_id)
        .unwrap()
        .clone();
    assert_eq!(app.redirect_uris(), ["https://kiosk.example/cb"]);
    // Selected, and in the list although the search hid it.
    assert_eq!(
        harness.state().state.selected.as_deref(),
        Some(app.id.as_str())
    );
    harness
        .get_by_label("I have stored this secret safely")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Done").click();
    harness.run_steps(4);
    assert_eq!(harness.query_all_by_label("Nordic Wallet Kiosk").count(), 2);
    harness.get_by_label("Created \"Nordic Wallet Kiosk\"");
}

/// Leaving an app with unsaved edits (another app, another tab, closing the window) asks
/// "Unsaved changes to NAME": Keep editing stays, Discard throws the edit away and goes on,
/// Save sends it and goes on.
#[test]
fn leaving_unsaved_edits_asks_save_discard_or_keep_editing() {
    let (mut harness, _, _) = memory_console();
    step_until(&mut harness, "the apps", loaded);
    harness.get_by_label("Nordic Wallet").click();
    harness.run_steps(3);
    let nordic = harness.state().state.selected.clone();
    harness.get_by_label("Display name").focus();
    harness.get_by_label("Display name").type_text(" Pro");
    harness.run_steps(2);

    // Another app: asked, and nothing moves until answered.
    harness.get_by_label("Acme Bank Onboarding").click();
    harness.run_steps(3);
    harness.get_by_label("Unsaved changes to Nordic Wallet");
    harness.get_by_label_contains("You changed the name");
    harness.get_by_label("Keep editing").click();
    harness.run_steps(3);
    assert!(
        harness
            .query_by_label("Unsaved changes to Nordic Wallet")
            .is_none()
    );
    assert_eq!(harness.state().state.selected, nordic);
    assert_eq!(
        harness.get_by_label("Display name").value().as_deref(),
        Some("Nordic Wallet Pro")
    );

    // Another tab, then Save: the rename goes out and the tab opens.
    // The tab comes before the overview's "Webhook" row.
    harness.get_all_by_label("Webhook").next().unwrap().click();
    harness.run_steps(3);
    harness.get_by_label("Save").click();
    step_until(&mut harness, "the rename", |app| {
        !app.state.writes_in_flight()
            && app.state.apps.iter().any(|a| a.name == "Nordic Wallet Pro")
    });
    harness.get_by_label("Save webhook");

    // The window's close button with an unsaved webhook edit: the window stays and asks.
    harness.get_by_label("Overview").click();
    harness.run_steps(3);
    harness.get_by_label("Display name").focus();
    harness.get_by_label("Display name").type_text(" Max");
    harness.run_steps(2);
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    harness.step();
    let kept_open = harness.output().viewport_output[&egui::ViewportId::ROOT]
        .commands
        .contains(&egui::ViewportCommand::CancelClose);
    assert!(kept_open, "the close was not held back");
    harness.run_steps(2);
    harness.get_by_label("Unsaved changes to Nordic Wallet Pro");
    // Discard: the edit is gone and the window closes.
    harness.get_by_label("Discard").click();
    harness.step();
    let closing = harness.output().viewport_output[&egui::ViewportId::ROOT]
        .commands
        .contains(&egui::ViewportCommand::Close);
    assert!(closing, "Discard did not go on closing");
    harness.run_steps(2);
    assert_eq!(
        harness.get_by_label("Display name").value().as_deref(),
        Some("Nordic Wallet Pro")
    );
}

/// Redirect URIs being edited count as unsaved too; an edit that cannot be saved offers only
/// Discard and Keep editing.
#[test]
fn unsaved_redirect_uris_are_asked_about_and_a_broken_one_cannot_be_saved() {
    let (mut harness, _, _) = memory_console();
    step_until(&mut harness, "the apps", loaded);
    harness.get_by_label("Nordic Wallet").click();
    harness.run_steps(3);
    harness.get_by_label("Edit redirect URIs").click();
    harness.run_steps(3);
    harness
        .get_by_label("Addresses, one per line")
        .type_text("\nhttp://plain.example/cb");
    harness.run_steps(2);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Q);
    harness.run_steps(3);
    harness.get_by_label("Unsaved changes to Nordic Wallet");
    harness.get_by_label_contains("You changed the redirect URIs");
    harness.get_by_label_contains("Keep editing to fix it");
    assert!(harness.query_by_label("Save").is_none());
    harness.get_by_label("Discard").click();
    harness.run_steps(3);
    assert!(harness.state().details_uris_draft().is_none());
}

#[test]
fn rename_updates_the_row() {
    let (mut harness, _, _) = memory_console();
    step_until(&mut harness, "the apps", loaded);
    harness.get_by_label("Nordic Wallet").click();
    harness.run_steps(3);
    let field = harness.get_by_label("Display name");
    field.focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Display name")
        .type_text("Nordic Wallet EU");
    harness.run_steps(3);
    harness.get_by_label("Save name").click();
    step_until(&mut harness, "the rename", |app| {
        app.state.apps.iter().any(|a| a.name == "Nordic Wallet EU")
    });
    assert!(harness.query_by_label("Nordic Wallet").is_none());
}

#[test]
fn a_server_error_shows_a_sentence_and_the_request_id() {
    let (mut harness, _, workspace) = memory_console();
    step_until(&mut harness, "the apps", loaded);
    // The refusal as the client phrases a 403 (the mapping itself is tested over HTTP).
    let mut refusal = ApiError::new(ErrorKind::Forbidden, "This key may not change apps");
    refusal.status = Some(403);
    refusal.code = Some("AUTH_FORBIDDEN".into());
    refusal.request_id = Some("req-kittest-42".into());
    workspace.set_faults(Faults {
        error: Some(refusal),
        ..Faults::default()
    });
    harness.get_by_label("Tyrell Rentals").click();
    harness.run_steps(3);
    harness.get_by_label("Display name").focus();
    harness.get_by_label("Display name").type_text(" 2");
    harness.run_steps(3);
    harness.get_by_label("Save name").click();
    step_until(&mut harness, "the notice", failed_write);
    harness.get_by_label_contains("This key may not change apps");
    harness.get_by_label("Request id req-kittest-42");
    harness.get_by_label("Copy request id");
    // The row kept its old name...
    assert!(
        harness
            .state()
            .state
            .apps
            .iter()
            .any(|a| a.name == "Tyrell Rentals")
    );
    // The edit in the name field was rolled back to the name the server kept.
    assert_eq!(
        harness.get_by_label("Display name").value().as_deref(),
        Some("Tyrell Rentals")
    );
}

#[test]
fn frames_keep_coming_while_a_slow_request_is_pending() {
    let workspace = MemoryWorkspace::demo_workspace(3);
    workspace.set_faults(Faults {
        delay: Duration::from_secs(2),
        ..Faults::default()
    });
    let (mut harness, _, _) = memory_console_on(workspace, |backend| backend);
    // Ten frames, and typing, while the 2-second list request is still out.
    for _ in 0..10 {
        harness.step();
    }
    assert!(harness.query_all_by_label("Loading apps…").count() >= 1);
    let search = harness.get_by_label("Search");
    search.focus();
    search.type_text("abc");
    harness.step();
    assert_eq!(harness.state().state.apps.len(), 0);
    assert!(matches!(
        harness.state().state.load,
        LoadState::Loading { .. }
    ));
    step_until(&mut harness, "the slow list", loaded);
    assert_eq!(harness.state().state.apps.len(), 20);
}

fn harness_for(app: ConsoleApp) -> Harness<'static, ConsoleApp> {
    kittest_support::builder(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut ConsoleApp| app.ui(ui), app)
}

#[test]
fn redirect_uris_are_checked_as_you_type_and_saved() {
    let (mut harness, _, _) = memory_console();
    step_until(&mut harness, "the apps", loaded);
    harness.get_by_label("Nordic Wallet").click();
    harness.run_steps(3);
    harness.get_by_label("Edit redirect URIs").click();
    harness.run_steps(3);
    // The box has the keyboard at once: typing right after opening is not lost.
    harness
        .get_by_label("Addresses, one per line")
        .type_text("\nhttps://typed.example/at-once");
    harness.run_steps(2);
    assert!(
        harness
            .state()
            .details_uris_draft()
            .is_some_and(|d| d.ends_with("https://typed.example/at-once")),
        "{:?}",
        harness.state().details_uris_draft()
    );
    harness.get_by_label_contains("the first one is used");
    let editor = harness.get_by_label("Addresses, one per line");
    editor.focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Addresses, one per line")
        .type_text("https://nordic.example/cb\nhttp://nordic.example/plain");
    harness.run_steps(3);
    harness.get_by_label_contains("Line 2: Use https://");
    assert!(
        harness
            .get_by_label("Save redirect URIs")
            .accesskit_node()
            .is_disabled()
    );

    harness.get_by_label("Addresses, one per line").focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Addresses, one per line")
        .type_text("https://Nordic.Example/cb\n\nhttp://localhost:3000/cb");
    harness.run_steps(3);
    assert!(harness.query_by_label_contains("Line 2").is_none());
    harness.get_by_label("Save redirect URIs").click();
    step_until(&mut harness, "the saved URIs", |app| {
        !app.state.writes_in_flight()
            && app.state.apps.iter().any(|a| {
                a.name == "Nordic Wallet"
                    && a.redirect_uris()
                        == ["https://nordic.example/cb", "http://localhost:3000/cb"]
            })
    });
    // Saved: the editor closed, a short confirmation, and the normalised addresses.
    assert!(harness.query_by_label("Save redirect URIs").is_none());
    harness.get_by_label("Saved 2 redirect URI(s) of \"Nordic Wallet\"");
    harness.get_by_label("https://nordic.example/cb");
}

#[test]
fn a_network_failure_offers_retry_which_sends_the_same_write() {
    let (mut harness, _, workspace) = memory_console();
    step_until(&mut harness, "the apps", loaded);
    // The rename is refused before it acts.
    workspace.set_faults(Faults {
        refuse: 1,
        ..Faults::default()
    });
    harness.get_by_label("Tyrell Rentals").click();
    harness.run_steps(3);
    harness.get_by_label("Display name").focus();
    harness.get_by_label("Display name").type_text(" Ltd");
    harness.run_steps(3);
    harness.get_by_label("Save name").click();
    step_until(&mut harness, "the notice", failed_write);
    harness.get_by_label("Retry").click();
    step_until(&mut harness, "the retried rename", |app| {
        app.state
            .apps
            .iter()
            .any(|a| a.name == "Tyrell Rentals Ltd")
    });
    assert!(harness.state().state.ops.is_empty());
}

#[test]
fn a_production_key_shows_the_red_banner_and_writes_ask_first() {
    let workspace = MemoryWorkspace::demo_workspace(3).in_environment(Environment::Production);
    let (mut harness, _, _) = memory_console_on(workspace, |backend| backend);
    step_until(&mut harness, "the apps", loaded);
    harness.get_by_label_contains("Production");

    harness.get_by_label("Nordic Wallet").click();
    harness.run_steps(3);
    harness.get_by_label("Display name").focus();
    harness.get_by_label("Display name").type_text(" Live");
    harness.run_steps(3);
    harness.get_by_label("Save name").click();
    harness.run_steps(3);
    harness.get_by_label("Change a production app?");
    harness.get_by_label_contains("Rename \"Nordic Wallet\"");
    // Nothing was sent before the answer.
    assert!(!harness.state().state.writes_in_flight());
    harness.get_by_label("Yes, make this change").click();
    step_until(&mut harness, "the confirmed rename", |app| {
        app.state
            .apps
            .iter()
            .any(|a| a.name == "Nordic Wallet Live")
    });
}

/// A machine without a keyring service, like a headless Linux session.
struct NoKeyring;

impl connect_console::settings::KeyStore for NoKeyring {
    fn load(&self, _: &str) -> Result<Option<connect_console::secret::Secret>, String> {
        Err("no keyring service is running".into())
    }
    fn save(&self, _: &str, _: &connect_console::secret::Secret) -> Result<(), String> {
        Err("no keyring service is running".into())
    }
}

#[test]
fn the_connection_dialog_switches_workspace_and_says_where_the_key_is_kept() {
    const KEY: &str = "sk_workspace_test_FAKE_SECOND_WORKSPACE";
    let (mut harness, _) = console_with(SandboxConfig::default(), |backend| {
        backend.with_keys(connect_console::settings::Keys::new(Box::new(NoKeyring)))
    });
    step_until(&mut harness, "the apps", loaded);

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let other = runtime
        .block_on(connect_console::sandbox::start(SandboxConfig {
            port: 0,
            demo: false,
            generated_apps: 3,
            api_key: Some(KEY.into()),
            ..SandboxConfig::default()
        }))
        .unwrap();

    harness.get_by_label("Connect…").click();
    harness.run_steps(3);
    harness.get_by_label("Other address").click();
    harness.run_steps(3);
    harness.get_by_label("Address").focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Address").type_text(&other.base_url());
    // A wrong key first: the dialog stays open with the server's answer.
    harness.get_by_label("API key").focus();
    harness
        .get_by_label("API key")
        .type_text("sk_workspace_test_FAKE_WRONG");
    harness.run_steps(3);
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the refusal", |app| {
        app.state.connect_error.is_some() && app.state.connecting.is_none()
    });
    harness.get_by_label_contains("not valid for this workspace");
    assert_eq!(harness.state().state.apps.len(), 20);

    harness.get_by_label("API key").focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("API key").type_text(KEY);
    harness.run_steps(3);
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the other workspace", |app| {
        app.state.connecting.is_none() && loaded(app) && app.state.apps.len() == 3
    });
    harness.get_by_label_contains("kept for this run only");
    assert!(
        harness
            .query_by_label("Local sandbox - demo data")
            .is_none()
    );
    assert_eq!(
        harness.state().last_base_url.as_deref(),
        Some(other.base_url().trim_end_matches('/'))
    );

    // What eframe would persist holds the address but never the key.
    let mut storage = MapStorage::default();
    harness
        .ctx
        .memory(|m| eframe::set_value(&mut storage, "egui", m));
    assert!(
        storage.0["egui"].len() > 10,
        "egui memory was not serialized"
    );
    eframe::App::save(harness.state_mut(), &mut storage);
    assert!(
        storage
            .0
            .values()
            .all(|v| !v.contains("FAKE_SECOND_WORKSPACE"))
    );
    assert_eq!(
        storage.0.get("last_base_url").map(String::as_str),
        Some(other.base_url().trim_end_matches('/'))
    );

    // Back to the demo data.
    harness.get_by_label("Connect…").click();
    harness.run_steps(3);
    harness.get_by_label("Use local sandbox").click();
    step_until(&mut harness, "the local sandbox", |app| {
        loaded(app) && app.state.apps.len() == 20
    });
    harness.get_by_label("Local sandbox - demo data");
    drop(other);
}

/// eframe storage in memory, to see what the console would write to disk.
#[derive(Default)]
struct MapStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MapStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn a_workflow_graph_opens_from_the_details_and_esc_goes_back() {
    let (mut harness, _, _) = memory_console();
    step_until(&mut harness, "the apps", loaded);
    harness
        .get_by_label("KYC with age and nationality routing")
        .click();
    harness.run_steps(3);
    let view = harness.state().workflow_view().expect("graph open");
    assert_eq!(
        view.workflow().unwrap().name,
        "KYC with age and nationality routing"
    );
    // The list is hidden while the graph is open.
    assert!(harness.query_by_label("Nordic Wallet").is_none());
    // Ctrl+K in the graph finds the app's workflows by name.
    let names: Vec<String> = harness.state().workflow_view().unwrap().workflow_names();
    assert!(names.len() > 1, "{names:?}");
    let other = names
        .iter()
        .find(|n| *n != "KYC with age and nationality routing")
        .unwrap()
        .clone();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    harness.run_steps(2);
    harness.get_by_label("Command or app").type_text("work");
    harness.run_steps(2);
    harness
        .get_by_label(&format!("Show workflow {other}"))
        .click();
    harness.run_steps(3);
    assert_eq!(
        harness
            .state()
            .workflow_view()
            .unwrap()
            .workflow()
            .unwrap()
            .name,
        other
    );
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
    assert!(harness.state().workflow_view().is_none());
    harness.get_by_label("Nordic Wallet");
}

/// A file dropped on the window, as eframe hands it to egui.
#[derive(Debug)]
struct DroppedPath(std::path::PathBuf);

impl egui::DroppedFile for DroppedPath {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn ctrl_i_and_a_dropped_file_open_the_import_wizard() {
    let journals = tempfile::tempdir().unwrap();
    let dialogs = connect_console::runtime::dialogs::FakeDialogs::default();
    let asked = dialogs.asked.clone();
    let (mut harness, _) = console_with(SandboxConfig::default(), |backend| {
        backend
            .with_journal_dir(journals.path().to_path_buf())
            .with_dialogs(dialogs)
    });
    step_until(&mut harness, "the apps", loaded);

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::I);
    harness.run_steps(3);
    assert!(harness.state().import().is_some());
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
    assert!(harness.state().import().is_none());
    assert!(asked.lock().unwrap().is_empty(), "no dialog was needed");

    let file =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/import/invalid_rows.csv");
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(DroppedPath(file)));
    harness.run_steps(1);
    step_until(&mut harness, "the dropped file to be read", |app| {
        app.import()
            .is_some_and(|w| w.busy.is_none() && w.prepared.is_some())
    });
    harness.get_by_label_contains("invalid_rows.csv");
}

/// Renames the app listed as `name` to `name` + `suffix` through the details panel.
fn rename(harness: &mut Harness<'static, ConsoleApp>, name: &str, suffix: &str) {
    harness.get_by_label(name).click();
    harness.run_steps(3);
    harness.get_by_label("Display name").focus();
    harness.get_by_label("Display name").type_text(suffix);
    harness.run_steps(2);
    harness.get_by_label("Save name").click();
    harness.run_steps(1);
}

#[test]
fn each_write_has_its_own_retry_and_retry_resends_the_one_that_failed() {
    let (mut harness, _, workspace) = memory_console();
    step_until(&mut harness, "the apps", loaded);
    // The first rename is refused; the second goes through.
    workspace.set_faults(Faults {
        refuse: 1,
        ..Faults::default()
    });
    rename(&mut harness, "Tyrell Rentals", " A");
    step_until(&mut harness, "the first rename to fail", failed_write);
    rename(&mut harness, "Nordic Wallet", " B");
    assert!(
        harness.state().state.writes_in_flight() || {
            harness
                .state()
                .state
                .apps
                .iter()
                .any(|a| a.name == "Nordic Wallet B")
        }
    );
    step_until(&mut harness, "the second rename", |app| {
        app.state.apps.iter().any(|a| a.name == "Nordic Wallet B")
    });
    // One notice, for the rename that failed, with its own Retry.
    assert_eq!(harness.query_all_by_label("Retry").count(), 1);
    harness.get_by_label_contains("was not changed");
    harness.get_by_label("Retry").click();
    step_until(&mut harness, "the retried first rename", |app| {
        app.state.apps.iter().any(|a| a.name == "Tyrell Rentals A")
    });
    assert!(harness.state().state.ops.is_empty());
    // Nothing was renamed twice: the second app kept its one suffix.
    assert!(
        harness
            .state()
            .state
            .apps
            .iter()
            .all(|a| !a.name.ends_with("B B"))
    );
}

#[test]
fn a_failed_rotation_says_the_outcome_is_unknown_and_retry_is_safe() {
    let (mut harness, _, workspace) = memory_console();
    step_until(&mut harness, "the apps", loaded);
    // The rotation happens, but its answer is lost: Retry must not rotate a second time.
    workspace.set_faults(Faults {
        lose_answers: 1,
        ..Faults::default()
    });
    harness.get_by_label("Nordic Wallet").click();
    harness.run_steps(3);
    harness.get_by_label("Rotate secret…").click();
    harness.run_steps(3);
    // The question names the app as people know it.
    harness.get_by_label_contains("The current secret of \"Nordic Wallet\" (");
    harness.get_by_label("Rotate secret").click();
    step_until(&mut harness, "the failure", failed_write);
    harness.get_by_label_contains("The outcome is unknown");
    harness.get_by_label_contains("cannot rotate twice");
    harness.get_by_label("Retry").click();
    step_until(&mut harness, "the new secret", |app| {
        app.state.secret.is_some()
    });
}

#[test]
fn a_slow_call_says_still_waiting_and_cancel_stops_it() {
    let (mut harness, _, workspace) = memory_console();
    step_until(&mut harness, "the apps", loaded);
    // A server that takes 20 s to answer this one request.
    workspace.set_faults(Faults {
        stall: Some(Duration::from_secs(20)),
        ..Faults::default()
    });
    rename(&mut harness, "Tyrell Rentals", " Slow");
    assert!(harness.query_by_label_contains("Still waiting").is_none());
    step_until(&mut harness, "the still-waiting line", |app| {
        !app.state.slow_calls(std::time::Instant::now()).is_empty()
    });
    harness.get_by_label("Still waiting for memory…");
    harness.get_by_label("Cancel").click();
    step_until(&mut harness, "the cancelled write", failed_write);
    harness.get_by_label_contains("You cancelled the request");
    harness.get_by_label_contains("The outcome is unknown");
    assert!(harness.query_by_label_contains("Still waiting").is_none());
    harness.get_by_label("Retry");
}

#[test]
fn the_command_palette_runs_commands_and_opens_apps_by_keyboard() {
    let (mut harness, _, _) = memory_console();
    step_until(&mut harness, "the apps", loaded);
    harness.ctx.set_theme(egui::Theme::Dark);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    harness.run_steps(3);
    harness.get_by_label("Command or app");
    harness
        .get_by_label("Command or app")
        .type_text("light mode");
    harness.run_steps(3);
    harness.get_by_label("Switch to light mode");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
    assert!(harness.query_by_label("Command or app").is_none());
    assert_eq!(harness.ctx.theme(), egui::Theme::Light);

    // Apps by name: "Open Nordic Wallet".
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    harness.run_steps(3);
    harness.get_by_label("Command or app").type_text("nordic");
    harness.run_steps(3);
    harness.get_by_label("Open Nordic Wallet");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
    let selected = harness.state().state.selected_app().unwrap();
    assert_eq!(selected.name, "Nordic Wallet");
    // Arrow keys pick another entry; Esc closes without running anything.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    harness.run_steps(3);
    harness.get_by_label("Command or app").type_text("import");
    harness.run_steps(3);
    harness.key_press(egui::Key::ArrowDown);
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
    assert!(harness.state().import().is_none());
}

#[test]
fn single_key_shortcuts_do_nothing_while_typing() {
    let (mut harness, _, _) = memory_console();
    step_until(&mut harness, "the apps", loaded);
    let search = harness.get_by_label("Search");
    search.focus();
    search.type_text("?");
    harness.run_steps(3);
    assert!(harness.query_by_label("Keyboard shortcuts").is_none());
    assert_eq!(harness.get_by_label("Search").value().as_deref(), Some("?"));
    // Ctrl shortcuts still work while typing.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    harness.run_steps(3);
    harness.get_by_label("Command or app");
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
    // Out of the field, "?" opens the overlay, which lists the commands' keys.
    harness.get_by_label("Search").focus();
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    harness
        .ctx
        .memory_mut(|m| m.surrender_focus(egui::Id::NULL));
    harness.ctx.memory_mut(egui::Memory::stop_text_input);
    harness.run_steps(2);
    harness.event(egui::Event::Text("?".into()));
    harness.run_steps(3);
    // The overlay's heading, and its own line ("?" shows this list).
    assert_eq!(harness.query_all_by_label("Keyboard shortcuts").count(), 2);
    harness.get_by_label("Fit graph to window");
}

#[test]
fn the_webhook_tab_checks_as_you_type_saves_only_changes_and_rotates_after_asking() {
    let (mut harness, clipboard, _) = memory_console();
    step_until(&mut harness, "the apps", loaded);
    harness.get_by_label("Nordic Wallet").click();
    harness.run_steps(3);
    harness.get_by_label("Edit webhook…").click();
    harness.run_steps(3);
    harness.get_by_label("No unsaved changes.");

    harness
        .get_by_label("Deliver events to this app's webhook")
        .click();
    harness.run_steps(2);
    harness.get_by_label_contains("Enter the address to deliver to");
    harness.get_by_label("Address").focus();
    harness
        .get_by_label("Address")
        .type_text("http://hooks.example.com/nordic");
    harness.run_steps(2);
    harness.get_by_label_contains("Use an https:// address");
    assert!(
        harness
            .get_by_label("Save webhook")
            .accesskit_node()
            .is_disabled()
    );

    harness.get_by_label("Address").focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Address")
        .type_text("https://hooks.example.com/nordic");
    harness.get_by_label("verification.failed").click();
    harness.run_steps(2);
    harness.get_by_label("Unsaved: enabled, url, events");
    harness.get_by_label("Save webhook").click();
    step_until(&mut harness, "the saved webhook", |app| {
        !app.state.writes_in_flight()
            && app.state.apps.iter().any(|a| {
                a.name == "Nordic Wallet"
                    && a.webhook().is_some_and(|w| {
                        w.enabled
                            && w.url.as_deref() == Some("https://hooks.example.com/nordic")
                            && w.events == ["verification.failed"]
                    })
            })
    });
    harness.get_by_label("No unsaved changes.");

    // Rotating the signing secret asks first, then shows the new secret once.
    harness.get_by_label("Rotate webhook secret…").click();
    harness.run_steps(3);
    harness.get_by_label("Rotate webhook secret?");
    harness.get_by_label("Cancel").click();
    harness.run_steps(3);
    assert!(harness.state().state.secret.is_none());
    harness.get_by_label("Rotate webhook secret…").click();
    harness.run_steps(3);
    harness.get_by_label("Rotate webhook secret").click();
    step_until(&mut harness, "the new signing secret", |app| {
        app.state.secret.is_some()
    });
    harness.get_by_label("New webhook signing secret");
    assert_eq!(
        *clipboard.copies.lock().unwrap(),
        0,
        "nothing copied unasked"
    );
}

#[test]
fn the_providers_tab_shows_each_status_and_what_activation_still_needs() {
    let (mut harness, _, workspace) = memory_console();
    step_until(&mut harness, "the apps", loaded);
    harness.get_by_label("Nordic Wallet").click();
    harness.run_steps(3);
    harness.get_by_label("Activation…").click();
    step_until(&mut harness, "the catalog", |app| {
        app.state
            .providers
            .values()
            .any(|p| matches!(p, connect_console::ui::state::ProvidersState::Loaded(_)))
    });
    harness.get_by_label_contains("providers · ");
    harness.get_by_label("Smart-ID");
    harness.get_by_label("ePassport");
    harness.get_by_label("Countries EE, LV, LT · levels of assurance 2, 3");
    // A provider that needs a registration says how much it needs, and what on a click.
    assert!(
        harness
            .query_by_label_contains("Company legal name")
            .is_none()
    );
    harness
        .query_all_by_label_contains("Still required for activation: 4 details")
        .next()
        .expect("a provider waiting for details")
        .click();
    harness.run_steps(3);
    assert!(
        harness
            .query_all_by_label_contains("Company legal name")
            .next()
            .is_some()
    );

    // A failure says so and offers to try again.
    workspace.set_faults(Faults {
        refuse: 1,
        ..Faults::default()
    });
    harness.get_by_label("Reload").click();
    step_until(&mut harness, "the failure", |app| {
        app.state
            .providers
            .values()
            .any(|p| matches!(p, connect_console::ui::state::ProvidersState::Failed(_)))
    });
    harness.get_by_label("Try again").click();
    step_until(&mut harness, "the catalog again", |app| {
        app.state
            .providers
            .values()
            .any(|p| matches!(p, connect_console::ui::state::ProvidersState::Loaded(_)))
    });
}

#[test]
fn filters_and_checked_rows_decide_what_an_export_holds() {
    let out = tempfile::tempdir().unwrap();
    let dialogs = connect_console::runtime::dialogs::FakeDialogs::default();
    let journals = tempfile::tempdir().unwrap();
    let (mut harness, _, _) = memory_console_with(|backend| {
        backend
            .with_dialogs(dialogs.clone())
            .with_journal_dir(journals.path().to_path_buf())
    });
    step_until(&mut harness, "the apps", loaded);

    // Filtered to "No redirect URIs": an export without checked rows takes what is listed.
    harness.get_by_label("No redirect URIs").click();
    harness.run_steps(3);
    let listed = harness.state().list.visible_count();
    assert!(listed > 0 && listed < harness.state().state.apps.len());
    let all_listed = out.path().join("listed.csv");
    dialogs.queue(&all_listed);
    harness.get_by_label("Export").click();
    harness.run_steps(2);
    harness.get_by_label("As CSV for import…").click();
    step_until(&mut harness, "the export", |_| all_listed.exists());
    let text = std::fs::read_to_string(&all_listed).unwrap();
    assert_eq!(csv_rows(&text), listed, "{text}");

    // Two rows checked with Ctrl-click: only those two.
    harness.get_by_label("No redirect URIs").click();
    harness.run_steps(3);
    for name in ["Nordic Wallet", "Acme Bank Onboarding"] {
        harness
            .get_by_label(name)
            .click_modifiers(egui::Modifiers::COMMAND);
        harness.run_steps(2);
    }
    harness.get_by_label("2 selected");
    let two = out.path().join("two.json");
    dialogs.queue(&two);
    harness.get_by_label("Export").click();
    harness.run_steps(2);
    harness.get_by_label("As JSON…").click();
    step_until(&mut harness, "the export", |_| two.exists());
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&two).unwrap()).unwrap();
    let text = json.to_string();
    assert!(text.contains("Nordic Wallet") && text.contains("Acme Bank Onboarding"));
    assert!(!text.contains("Initech Payroll"));
    assert!(
        !text.to_lowercase().contains("clientsecret"),
        "no secrets in an export"
    );
}

/// Data rows of a CSV export (the header is not one).
fn csv_rows(text: &str) -> usize {
    csv::Reader::from_reader(text.as_bytes()).records().count()
}

#[test]
fn the_activity_panel_lists_the_changes_made_from_the_console() {
    let logs = tempfile::tempdir().unwrap();
    let log_path = logs.path().join("activity.jsonl");
    let (mut harness, _, _) = memory_console_with(|backend| {
        backend.with_activity_log(connect_console::activity::ActivityLog::at(&log_path))
    });
    step_until(&mut harness, "the apps", loaded);
    rename(&mut harness, "Nordic Wallet", " Two");
    step_until(&mut harness, "the rename", |app| {
        !app.state.writes_in_flight()
            && app.state.apps.iter().any(|a| a.name == "Nordic Wallet Two")
    });

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
    step_until(&mut harness, "the log", |app| {
        app.activity()
            .is_some_and(|v| !v.loading && !v.entries.is_empty())
    });
    harness.get_by_label_contains("Every change made from this computer");
    // The app's name, and the rename's detail (the new name).
    assert!(
        harness
            .query_all_by_label_contains("Nordic Wallet Two")
            .count()
            >= 2
    );
    // Times are local, with UTC on hover.
    let time = harness.state().activity().unwrap().entries[0].time.clone();
    let local = connect_console::clock::local_text(&time).unwrap();
    harness.get_by_label(&local);
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
    assert!(harness.state().activity().is_none());

    // A row opens its app: another app is selected first, the log's row brings Nordic back.
    harness.get_by_label("Acme Bank Onboarding").click();
    harness.run_steps(3);
    let nordic = harness
        .state()
        .state
        .apps
        .iter()
        .find(|a| a.name == "Nordic Wallet Two")
        .unwrap()
        .id
        .clone();
    assert_ne!(
        harness.state().state.selected.as_deref(),
        Some(nordic.as_str())
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
    step_until(&mut harness, "the log", |app| {
        app.activity()
            .is_some_and(|v| !v.loading && !v.entries.is_empty())
    });
    harness
        .get_by_label(&format!("Nordic Wallet Two ({nordic})"))
        .click();
    harness.run_steps(3);
    assert!(harness.state().activity().is_none());
    assert_eq!(
        harness.state().state.selected.as_deref(),
        Some(nordic.as_str())
    );
}

/// The workflow editor over HTTP against the embedded sandbox: a node added after another
/// from the catalog, undo and redo with the keys, the question before saving that lists the
/// changes, the save; then a colleague's change on the server makes the next save ask to
/// reload or overwrite; and leaving with unsaved edits asks first.
#[test]
fn the_workflow_editor_adds_a_node_saves_and_catches_a_change_on_the_server() {
    let (mut harness, _) = console_with(SandboxConfig::default(), |b| b);
    step_until(&mut harness, "the apps", loaded);
    harness
        .query_all_by_label("Acme Bank Onboarding")
        .next()
        .unwrap()
        .click();
    harness.run_steps(2);
    assert_eq!(
        harness.state().state.selected_app().unwrap().name,
        "Acme Bank Onboarding"
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::G);
    harness.run_steps(3);
    let original = shown_workflow(&harness);
    assert_eq!(original.nodes.len(), 3);
    let verification = original.nodes[1].id.clone();

    harness.get_by_label("Edit").click();
    step_until(&mut harness, "the node types", |app| {
        app.workflow_view().and_then(|v| v.workflow()).is_some()
            && app.view.workflow().is_some_and(|v| v.has_node_types())
    });
    harness
        .state_mut()
        .view
        .workflow_mut()
        .unwrap()
        .select_node(&verification);
    harness.run_steps(3);
    harness
        .get_by_label(&format!("Add a node after {verification}"))
        .click();
    harness.run_steps(2);
    harness.get_by_label("Check minimum LoA").click();
    harness.run_steps(3);
    let nodes = |h: &Harness<'static, ConsoleApp>| {
        h.state()
            .workflow_view()
            .unwrap()
            .workflow()
            .unwrap()
            .nodes
            .len()
    };
    assert_eq!(nodes(&harness), 4);
    assert_eq!(
        harness.state().workflow_view().unwrap().selected_node(),
        Some("nd_check_min_loa"),
        "the new node is selected"
    );
    // Its settings form comes from the catalog: minLoa is required.
    harness.get_by_label("minLoa *");

    // Undo and redo over the session, from the keyboard.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(nodes(&harness), 3);
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    harness.run_steps(2);
    assert_eq!(nodes(&harness), 4);

    // Save asks first, listing what changes, then sends one update.
    harness.get_by_label("Save…").click();
    harness.run_steps(2);
    harness.get_by_label_contains("Adds 1 node: nd_check_min_loa");
    harness.get_by_label_contains(&format!("Changes 1 node: {verification}"));
    harness.get_by_label("Save").click();
    step_until(&mut harness, "the save", |app| {
        app.workflow_view().is_some_and(|v| !v.has_unsaved_edits())
    });
    // Deleting the new node would leave the verification pointing nowhere: lint says so and
    // Save is not offered until it is fixed.
    draft(&mut harness).delete_node("nd_check_min_loa");
    harness.run_steps(2);
    harness.get_by_label("Save…").click();
    harness.run_steps(2);
    assert!(
        harness.query_by_label("Save").is_none(),
        "no question while lint has errors"
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert!(!harness.state().workflow_view().unwrap().has_unsaved_edits());
    let app_row = |h: &Harness<'static, ConsoleApp>| {
        h.state()
            .state
            .app(&original_app_id(h))
            .and_then(|a| a.oidc.clone())
            .unwrap()
            .workflows
            .iter()
            .find(|w| w.workflow_id == original.workflow_id)
            .unwrap()
            .nodes
            .len()
    };
    assert_eq!(app_row(&harness), 4, "the list holds the saved workflow");

    // A colleague changes the workflow on the server.
    let workspace = harness.state().backend().workspace().clone();
    let app_id = original_app_id(&harness);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut theirs = shown_workflow(&harness);
    theirs.name = "Renamed by a colleague".into();
    runtime
        .block_on(workspace.update_workflow(None, &app_id, &theirs.workflow_id, &theirs))
        .unwrap();

    // Our next save is refused, and offers to reload theirs or overwrite with ours.
    draft(&mut harness).rename("Ours");
    harness.run_steps(2);
    harness.get_by_label("Save…").click();
    harness.run_steps(2);
    harness.get_by_label("Save").click();
    step_until(&mut harness, "the refusal", |app| {
        app.view.workflow().is_some_and(|v| v.save_conflict())
    });
    // Said in the editor and in the console's notice of the failed change.
    assert!(
        harness
            .query_all_by_label_contains("Someone changed this workflow on the server")
            .count()
            >= 1
    );
    harness.get_by_label("Overwrite with mine").click();
    step_until(&mut harness, "the overwrite", |app| {
        app.workflow_view()
            .is_some_and(|v| !v.has_unsaved_edits() && !v.save_conflict())
    });
    let saved = shown_workflow(&harness);
    assert_eq!((saved.name.as_str(), saved.nodes.len()), ("Ours", 4));

    // Leaving with unsaved edits asks: Keep editing stays, Discard leaves the editor.
    draft(&mut harness).rename("Not saved");
    harness.run_steps(2);
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    harness.get_by_label("Keep editing").click();
    harness.run_steps(2);
    assert!(harness.state().workflow_view().unwrap().has_unsaved_edits());
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    harness.get_by_label("Discard").click();
    harness.run_steps(2);
    let view = harness.state().workflow_view().expect("still on the graph");
    assert!(!view.has_unsaved_edits());
    assert_ne!(view.workflow().unwrap().name, "Not saved");
}

fn original_app_id(harness: &Harness<'static, ConsoleApp>) -> String {
    harness
        .state()
        .state
        .apps
        .iter()
        .find(|a| a.name == "Acme Bank Onboarding")
        .unwrap()
        .id
        .clone()
}
