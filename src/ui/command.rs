//! `UiCommand`: every command a person can give the console, in one list. Each has a label, a
//! keyboard shortcut and a rule for when it applies; the toolbar, the keyboard, the shortcut
//! overlay and the command palette all read this list, so they cannot disagree.

use egui::{Key, KeyboardShortcut, Modifiers};

/// What the console shows in its main area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Apps,
    Import,
    Workflow,
    Activity,
}

/// What a command's availability depends on.
#[derive(Debug, Clone, Copy)]
pub struct CommandContext {
    pub screen: Screen,
    /// What the workspace's backend can do.
    pub capabilities: crate::backends::Capabilities,
    pub has_selection: bool,
    pub dark_mode: bool,
    pub loading: bool,
    /// A write is in flight, or an import runs: switching workspace now would hide its outcome.
    pub busy: bool,
}

/// A command's key: a shortcut, or a typed character (for `?`, whose key differs by layout).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    Keys(KeyboardShortcut),
    Text(char),
}

impl Shortcut {
    const fn key(modifiers: Modifiers, key: Key) -> Self {
        Shortcut::Keys(KeyboardShortcut::new(modifiers, key))
    }

    /// A key with no modifier (or a typed character), or one a text field uses itself (Ctrl+A
    /// selects its text): it does nothing while a text field has the keyboard.
    pub fn is_single_key(self) -> bool {
        match self {
            Shortcut::Keys(s) => {
                (s.modifiers.is_none() && !is_function_key(s.logical_key))
                    || (s.modifiers == Modifiers::COMMAND && s.logical_key == Key::A)
            }
            Shortcut::Text(_) => true,
        }
    }

    /// How the key is written for people, e.g. "Ctrl+K".
    pub fn text(self, ctx: &egui::Context) -> String {
        match self {
            Shortcut::Keys(s) => ctx.format_shortcut(&s),
            Shortcut::Text(c) => c.to_string(),
        }
    }
}

fn is_function_key(key: Key) -> bool {
    matches!(
        key,
        Key::F1 | Key::F2 | Key::F3 | Key::F4 | Key::F5 | Key::F6 | Key::Escape
    )
}

/// Declares `UiCommand` and `UiCommand::ALL` from one list of names, so a new command is in
/// the list the toolbar, keyboard, overlay and palette read as soon as it exists.
macro_rules! ui_commands {
    ($($command:ident),+ $(,)?) => {
        /// Every command, in the order the palette lists them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum UiCommand {
            $($command),+
        }

        impl UiCommand {
            /// Every command, in declaration order.
            pub const ALL: [UiCommand; [$(UiCommand::$command),+].len()] =
                [$(UiCommand::$command),+];
        }
    };
}

ui_commands! {
    CommandPalette,
    CreateApp,
    ImportCsv,
    Refresh,
    FocusSearch,
    RotateSelectedSecret,
    EditSelectedRedirectUris,
    OpenSelectedWorkflow,
    Connect,
    ShowActivity,
    ExportCsv,
    ExportJson,
    SelectAll,
    ToggleTheme,
    ShowShortcuts,
    Close,
    ZoomIn,
    ZoomOut,
    FitGraph,
    NodeAbove,
    NodeBelow,
    NodeLeft,
    NodeRight,
    PreviousApp,
    NextApp,
    PageUpApps,
    PageDownApps,
    FirstApp,
    LastApp,
    Quit,
}

impl UiCommand {
    /// The label on buttons and in the palette; a button leading to more input ends in "…".
    pub fn label(self, ctx: &CommandContext) -> String {
        match self {
            UiCommand::CommandPalette => crate::tr!("command-palette"),
            UiCommand::CreateApp => crate::tr!("command-create-app"),
            UiCommand::ImportCsv => crate::tr!("command-import-csv"),
            UiCommand::Refresh => crate::tr!("command-refresh"),
            UiCommand::FocusSearch => crate::tr!("command-focus-search"),
            UiCommand::RotateSelectedSecret => crate::tr!("command-rotate-selected-secret"),
            UiCommand::EditSelectedRedirectUris => crate::tr!("command-edit-redirect-uris"),
            UiCommand::OpenSelectedWorkflow => crate::tr!("command-open-workflow"),
            UiCommand::Connect => crate::tr!("command-connect"),
            UiCommand::ShowActivity => crate::tr!("command-show-activity"),
            UiCommand::ExportCsv => crate::tr!("command-export-csv"),
            UiCommand::ExportJson => crate::tr!("command-export-json"),
            UiCommand::SelectAll => crate::tr!("command-select-all"),
            UiCommand::ToggleTheme if ctx.dark_mode => crate::tr!("command-light-mode"),
            UiCommand::ToggleTheme => crate::tr!("command-dark-mode"),
            UiCommand::ShowShortcuts => crate::tr!("command-show-shortcuts"),
            UiCommand::Close => crate::tr!("command-close"),
            UiCommand::ZoomIn => crate::tr!("command-zoom-in"),
            UiCommand::ZoomOut => crate::tr!("command-zoom-out"),
            UiCommand::FitGraph => crate::tr!("command-fit-graph"),
            UiCommand::NodeAbove => crate::tr!("command-node-above"),
            UiCommand::NodeBelow => crate::tr!("command-node-below"),
            UiCommand::PreviousApp => crate::tr!("command-previous-app"),
            UiCommand::NextApp => crate::tr!("command-next-app"),
            UiCommand::PageUpApps => crate::tr!("command-page-up-apps"),
            UiCommand::PageDownApps => crate::tr!("command-page-down-apps"),
            UiCommand::FirstApp => crate::tr!("command-first-app"),
            UiCommand::LastApp => crate::tr!("command-last-app"),
            UiCommand::NodeLeft => crate::tr!("command-node-left"),
            UiCommand::NodeRight => crate::tr!("command-node-right"),
            UiCommand::Quit => crate::tr!("command-quit"),
        }
    }

    /// The label on a toolbar button, where room is short.
    pub fn short_label(self, ctx: &CommandContext) -> String {
        match self {
            UiCommand::CommandPalette => crate::tr!("command-palette-short"),
            UiCommand::ShowActivity => crate::tr!("command-show-activity-short"),
            UiCommand::ShowShortcuts => crate::tr!("command-show-shortcuts-short"),
            UiCommand::ToggleTheme if ctx.dark_mode => crate::tr!("command-light-mode-short"),
            UiCommand::ToggleTheme => crate::tr!("command-dark-mode-short"),
            other => other.label(ctx),
        }
    }

    /// One sentence for tooltips and the shortcut overlay.
    pub fn description(self) -> String {
        match self {
            UiCommand::CommandPalette => crate::tr!("command-palette-description"),
            UiCommand::CreateApp => crate::tr!("command-create-app-description"),
            UiCommand::ImportCsv => crate::tr!("command-import-csv-description"),
            UiCommand::Refresh => crate::tr!("command-refresh-description"),
            UiCommand::FocusSearch => crate::tr!("command-focus-search-description"),
            UiCommand::RotateSelectedSecret => {
                crate::tr!("command-rotate-selected-secret-description")
            }
            UiCommand::EditSelectedRedirectUris => {
                crate::tr!("command-edit-redirect-uris-description")
            }
            UiCommand::OpenSelectedWorkflow => crate::tr!("command-open-workflow-description"),
            UiCommand::Connect => crate::tr!("command-connect-description"),
            UiCommand::ShowActivity => crate::tr!("command-show-activity-description"),
            UiCommand::ExportCsv => crate::tr!("command-export-csv-description"),
            UiCommand::ExportJson => crate::tr!("command-export-json-description"),
            UiCommand::SelectAll => crate::tr!("command-select-all-description"),
            UiCommand::ToggleTheme => crate::tr!("command-toggle-theme-description"),
            UiCommand::ShowShortcuts => crate::tr!("command-show-shortcuts-description"),
            UiCommand::Close => crate::tr!("command-close-description"),
            UiCommand::ZoomIn => crate::tr!("command-zoom-in-description"),
            UiCommand::ZoomOut => crate::tr!("command-zoom-out-description"),
            UiCommand::FitGraph => crate::tr!("command-fit-graph-description"),
            UiCommand::NodeAbove => crate::tr!("command-node-above-description"),
            UiCommand::NodeBelow => crate::tr!("command-node-below-description"),
            UiCommand::PreviousApp => crate::tr!("command-previous-app-description"),
            UiCommand::NextApp => crate::tr!("command-next-app-description"),
            UiCommand::PageUpApps => crate::tr!("command-page-up-apps-description"),
            UiCommand::PageDownApps => crate::tr!("command-page-down-apps-description"),
            UiCommand::FirstApp => crate::tr!("command-first-app-description"),
            UiCommand::LastApp => crate::tr!("command-last-app-description"),
            UiCommand::NodeLeft => crate::tr!("command-node-left-description"),
            UiCommand::NodeRight => crate::tr!("command-node-right-description"),
            UiCommand::Quit => crate::tr!("command-quit-description"),
        }
    }

    /// The keys, the first one shown; a command may have none.
    pub fn shortcuts(self) -> &'static [Shortcut] {
        /// A constant list of keys, so the slice lives for the whole program.
        macro_rules! keys {
            ($($modifiers:ident $key:ident),*) => {{
                const KEYS: &[Shortcut] = &[$(Shortcut::key(Modifiers::$modifiers, Key::$key)),*];
                KEYS
            }};
        }
        match self {
            UiCommand::CommandPalette => keys!(COMMAND K),
            UiCommand::CreateApp => keys!(COMMAND N),
            UiCommand::ImportCsv => keys!(COMMAND I),
            UiCommand::Refresh => keys!(NONE F5),
            UiCommand::FocusSearch => keys!(COMMAND F),
            UiCommand::OpenSelectedWorkflow => keys!(COMMAND G),
            UiCommand::RotateSelectedSecret
            | UiCommand::EditSelectedRedirectUris
            | UiCommand::Connect
            | UiCommand::ExportCsv
            | UiCommand::ExportJson
            | UiCommand::ToggleTheme => &[],
            UiCommand::ShowActivity => keys!(COMMAND L),
            UiCommand::SelectAll => keys!(COMMAND A),
            UiCommand::ShowShortcuts => &[Shortcut::Text('?')],
            UiCommand::Close => keys!(NONE Escape),
            UiCommand::ZoomIn => keys!(NONE Plus, NONE Equals),
            UiCommand::ZoomOut => keys!(NONE Minus),
            UiCommand::FitGraph => keys!(NONE Num0, NONE F),
            UiCommand::NodeAbove => keys!(NONE ArrowUp),
            UiCommand::NodeBelow => keys!(NONE ArrowDown),
            UiCommand::NodeLeft => keys!(NONE ArrowLeft),
            UiCommand::NodeRight => keys!(NONE ArrowRight),
            UiCommand::PreviousApp => keys!(NONE ArrowUp),
            UiCommand::NextApp => keys!(NONE ArrowDown),
            UiCommand::PageUpApps => keys!(NONE PageUp),
            UiCommand::PageDownApps => keys!(NONE PageDown),
            UiCommand::FirstApp => keys!(NONE Home),
            UiCommand::LastApp => keys!(NONE End),
            UiCommand::Quit => keys!(COMMAND Q),
        }
    }

    /// Whether the command can run now.
    pub fn applies(self, ctx: &CommandContext) -> bool {
        let apps = ctx.screen == Screen::Apps;
        let graph = ctx.screen == Screen::Workflow;
        match self {
            UiCommand::CommandPalette
            | UiCommand::ToggleTheme
            | UiCommand::ShowShortcuts
            | UiCommand::Quit => true,
            UiCommand::CreateApp | UiCommand::FocusSearch => apps,
            UiCommand::Refresh => apps && !ctx.loading,
            UiCommand::ImportCsv => ctx.screen != Screen::Import,
            UiCommand::RotateSelectedSecret => apps && ctx.has_selection,
            UiCommand::EditSelectedRedirectUris => {
                apps && ctx.has_selection && ctx.capabilities.redirect_uris
            }
            UiCommand::OpenSelectedWorkflow => {
                apps && ctx.has_selection && ctx.capabilities.workflows
            }
            UiCommand::Connect => !ctx.busy && ctx.screen != Screen::Import,
            UiCommand::ShowActivity => ctx.screen != Screen::Activity,
            UiCommand::ExportCsv | UiCommand::ExportJson | UiCommand::SelectAll => {
                apps && ctx.capabilities.export
            }
            UiCommand::Close => !apps,
            UiCommand::ZoomIn
            | UiCommand::ZoomOut
            | UiCommand::FitGraph
            | UiCommand::NodeAbove
            | UiCommand::NodeBelow
            | UiCommand::NodeLeft
            | UiCommand::NodeRight => graph,
            UiCommand::PreviousApp
            | UiCommand::NextApp
            | UiCommand::PageUpApps
            | UiCommand::PageDownApps
            | UiCommand::FirstApp
            | UiCommand::LastApp => apps,
        }
    }

    /// "Create app… (Ctrl+N)": a tooltip that names the key.
    pub fn tooltip(self, ctx: &egui::Context) -> String {
        match self.shortcuts().first() {
            Some(shortcut) => format!("{} ({})", self.description(), shortcut.text(ctx)),
            None => self.description(),
        }
    }
}

/// The commands whose shortcut was pressed this frame, in list order. Single keys are ignored
/// while a text field has the keyboard; a pressed shortcut is consumed so no widget sees it.
pub fn pressed(ctx: &egui::Context, context: &CommandContext) -> Vec<UiCommand> {
    let typing = ctx.text_edit_focused();
    let mut pressed = Vec::new();
    ctx.input_mut(|input| {
        for command in UiCommand::ALL {
            if !command.applies(context) {
                continue;
            }
            for shortcut in command.shortcuts() {
                if typing && shortcut.is_single_key() {
                    continue;
                }
                let hit = match shortcut {
                    Shortcut::Keys(keys) => input.consume_shortcut(keys),
                    Shortcut::Text(c) => {
                        let typed = input
                            .events
                            .iter()
                            .position(|e| matches!(e, egui::Event::Text(t) if t.chars().eq([*c])));
                        typed.map(|i| input.events.remove(i)).is_some()
                    }
                };
                if hit {
                    pressed.push(command);
                    break;
                }
            }
        }
    });
    pressed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backends::BackendKind;

    /// Every screen, backend kind and combination of flags.
    fn everywhere() -> Vec<CommandContext> {
        let mut contexts = Vec::new();
        for kind in BackendKind::ALL {
            for &capabilities in kind.capability_sets() {
                for screen in [
                    Screen::Apps,
                    Screen::Import,
                    Screen::Workflow,
                    Screen::Activity,
                ] {
                    for flags in 0..8 {
                        contexts.push(CommandContext {
                            screen,
                            capabilities,
                            has_selection: flags & 1 != 0,
                            dark_mode: true,
                            loading: flags & 2 != 0,
                            busy: flags & 4 != 0,
                        });
                    }
                }
            }
        }
        contexts
    }

    /// No two commands that can apply at the same time share a key (with every modifier
    /// spelled out, so Ctrl+F and F are different keys but F and F are not).
    #[test]
    fn no_two_commands_share_a_shortcut() {
        for context in everywhere() {
            let live: Vec<(UiCommand, Shortcut)> = UiCommand::ALL
                .into_iter()
                .filter(|c| c.applies(&context))
                .flat_map(|c| c.shortcuts().iter().map(move |s| (c, *s)))
                .collect();
            for (i, (a, key_a)) in live.iter().enumerate() {
                for (b, key_b) in &live[i + 1..] {
                    assert!(
                        key_a != key_b,
                        "{a:?} and {b:?} share {key_a:?} on {:?} with {:?}",
                        context.screen,
                        context.capabilities
                    );
                }
            }
        }
    }

    #[test]
    fn every_command_is_listed_once_with_a_label() {
        let context = everywhere()[0];
        for language in [
            crate::i18n::Language::English,
            crate::i18n::Language::Korean,
        ] {
            crate::i18n::Localizer::new(language).install();
            let mut labels: Vec<String> =
                UiCommand::ALL.iter().map(|c| c.label(&context)).collect();
            let count = labels.len();
            labels.sort_unstable();
            labels.dedup();
            assert_eq!(labels.len(), count, "{language:?}");
            assert!(UiCommand::ALL.iter().all(|c| !c.description().is_empty()));
        }
        crate::i18n::Localizer::default().install();
    }

    #[test]
    fn single_keys_are_the_ones_without_modifiers() {
        assert!(UiCommand::FitGraph.shortcuts()[1].is_single_key());
        assert!(UiCommand::ShowShortcuts.shortcuts()[0].is_single_key());
        assert!(!UiCommand::CommandPalette.shortcuts()[0].is_single_key());
        assert!(!UiCommand::Refresh.shortcuts()[0].is_single_key());
    }
}
