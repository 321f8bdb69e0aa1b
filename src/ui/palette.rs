//! The command palette (Ctrl+K): type a few letters of a command ("Import CSV…", "Switch to
//! light mode", in the console's language or in English) or of an app's name or client id
//! ("Open Acme Bank"), pick with the arrow keys, run with Enter. Driven entirely by keyboard.

use super::command::{CommandContext, UiCommand};
use super::state::AppState;

/// Most entries shown at once.
const MAX_SHOWN: usize = 12;

/// What the palette offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaletteItem {
    Command(UiCommand),
    /// "Open <name>": select the app and show its details.
    App {
        client_id: String,
        name: String,
    },
    /// "Show workflow <name>": another workflow of the app whose graph is open.
    Workflow {
        index: usize,
    },
}

/// The palette while it is open: the query, the matches for it, and the highlighted one.
#[derive(Debug, Default)]
pub struct Palette {
    pub query: String,
    selected: usize,
    /// The query, app-list revision, theme and language the matches were found for.
    matched_for: Option<(String, u64, bool, crate::i18n::Language)>,
    matches: Vec<(PaletteItem, String)>,
    /// Entries of the screen it was opened on (the open app's workflows), with their text.
    extra: Vec<(PaletteItem, String)>,
}

/// What the user did in the palette this frame.
#[derive(Debug, PartialEq, Eq)]
pub enum PaletteOutcome {
    Run(PaletteItem),
    Close,
}

impl Palette {
    /// A palette that also offers `extra` entries of the screen it opens on.
    pub fn with_extra(extra: Vec<(PaletteItem, String)>) -> Self {
        Self {
            extra,
            ..Self::default()
        }
    }

    /// The entries for the query, best first (found again only when the query or the apps
    /// change, not every frame).
    pub fn matches(
        &mut self,
        state: &AppState,
        context: &CommandContext,
    ) -> &[(PaletteItem, String)] {
        let key = (
            self.query.clone(),
            state.revision,
            context.dark_mode,
            crate::i18n::current_language(),
        );
        if self.matched_for.as_ref() != Some(&key) {
            self.matches = find(&self.query, state, context, &self.extra);
            self.selected = self.selected.min(self.matches.len().saturating_sub(1));
            self.matched_for = Some(key);
        }
        &self.matches
    }

    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        state: &AppState,
        context: &CommandContext,
    ) -> Option<PaletteOutcome> {
        let (up, down, enter, escape) = ctx.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
                i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
                i.consume_key(egui::Modifiers::NONE, egui::Key::Escape),
            )
        });
        let mut outcome = escape.then_some(PaletteOutcome::Close);
        let modal = egui::Modal::new(egui::Id::unique("command_palette")).show(ctx, |ui| {
            ui.set_width(520.0);
            let label = ui.label(crate::tr!("palette-label"));
            let edit = ui
                .add(
                    egui::TextEdit::singleline(&mut self.query)
                        .hint_text(crate::tr!("palette-hint"))
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            edit.request_focus();
            if edit.changed() {
                self.selected = 0;
            }
            let count = self.matches(state, context).len();
            if down && count > 0 {
                self.selected = (self.selected + 1).min(count - 1);
            }
            if up {
                self.selected = self.selected.saturating_sub(1);
            }
            ui.add_space(4.0);
            // The result area keeps its height whatever the count, so the box being typed in
            // stays where it is as results come and go.
            let row = ui.spacing().interact_size.y + ui.spacing().item_spacing.y;
            ui.vertical(|ui| {
                ui.set_min_height(row * (MAX_SHOWN + 1) as f32);
                self.results_ui(ui, count, &mut outcome);
            });
        });
        if enter && let Some((item, _)) = self.matches.get(self.selected) {
            outcome = Some(PaletteOutcome::Run(item.clone()));
        }
        if modal.should_close() && outcome.is_none() {
            outcome = Some(PaletteOutcome::Close);
        }
        outcome
    }

    /// The matches, the chosen one highlighted, and a line for what does not fit.
    fn results_ui(&self, ui: &mut egui::Ui, count: usize, outcome: &mut Option<PaletteOutcome>) {
        if count == 0 {
            ui.weak(crate::tr!("palette-no-match"));
        }
        for (index, (item, text)) in self.matches.iter().enumerate().take(MAX_SHOWN) {
            let chosen = index == self.selected;
            let shortcut = match item {
                PaletteItem::Command(command) => command
                    .shortcuts()
                    .first()
                    .map(|s| s.text(ui.ctx()))
                    .unwrap_or_default(),
                PaletteItem::App { client_id, .. } => client_id.clone(),
                PaletteItem::Workflow { .. } => String::new(),
            };
            ui.horizontal(|ui| {
                if ui.selectable_label(chosen, text).clicked() {
                    *outcome = Some(PaletteOutcome::Run(item.clone()));
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.weak(shortcut);
                });
            });
        }
        if count > MAX_SHOWN {
            let more = count - MAX_SHOWN;
            ui.weak(crate::tr!("palette-more", count = more));
        }
    }
}

/// Commands that apply now and apps, scored against the query; everything when it is empty.
fn find(
    query: &str,
    state: &AppState,
    context: &CommandContext,
    extra: &[(PaletteItem, String)],
) -> Vec<(PaletteItem, String)> {
    let mut scored: Vec<(i64, PaletteItem, String)> = Vec::new();
    for (item, text) in extra {
        if let Some(score) = fuzzy_score(query, text) {
            scored.push((score + 1, item.clone(), text.clone()));
        }
    }
    for command in UiCommand::ALL {
        if command == UiCommand::CommandPalette || !command.applies(context) {
            continue;
        }
        // Found by its name in the language shown or in English, and shown in the former.
        let label = command.label(context);
        let in_english = (crate::i18n::current_language() != crate::i18n::Language::English)
            .then(|| crate::i18n::in_english(|| command.label(context)));
        let score = fuzzy_score(query, &label)
            .into_iter()
            .chain(in_english.and_then(|english| fuzzy_score(query, &english)))
            .max();
        if let Some(score) = score {
            // Commands first on a tie: there are few of them and they are what people type.
            scored.push((score + 1, PaletteItem::Command(command), label));
        }
    }
    if context.screen == super::command::Screen::Apps {
        let apps = state
            .apps
            .iter()
            .map(|a| (a.name.as_str(), a.client_id.as_str(), a.id.as_str()));
        let words = crate::search::AppQuery::new(query);
        for (name, client_id, key) in apps {
            // Apps are found by the list's own rule, so the palette and the list agree; the
            // fuzzy score only orders what that rule found.
            if !words.matches(name, client_id) {
                continue;
            }
            let text = crate::tr!("palette-open-app", name = name);
            let score = fuzzy_score(query, &text)
                .into_iter()
                .chain(fuzzy_score(query, client_id))
                .max()
                .or(Some(0));
            if let Some(score) = score {
                scored.push((
                    score,
                    PaletteItem::App {
                        client_id: key.to_owned(),
                        name: name.to_owned(),
                    },
                    text,
                ));
            }
        }
    }
    // Stable: equal scores keep the list's order.
    scored.sort_by_key(|(score, ..)| std::cmp::Reverse(*score));
    scored.truncate(200);
    scored
        .into_iter()
        .map(|(_, item, text)| (item, text))
        .collect()
}

/// How well `query` matches `text`: every query character must appear in order (any case);
/// characters that follow each other, or start a word, score more. `None` when it does not
/// match. An empty query matches everything equally.
pub fn fuzzy_score(query: &str, text: &str) -> Option<i64> {
    let query: Vec<char> = query
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .collect();
    if query.is_empty() {
        return Some(0);
    }
    let mut score = 0;
    let mut wanted = query.iter().peekable();
    let mut previous: Option<char> = None;
    let mut run = 0;
    for c in text.chars() {
        let Some(&&next) = wanted.peek() else { break };
        let lower = c.to_lowercase().next().unwrap_or(c);
        if lower == next {
            wanted.next();
            let word_start = previous.is_none_or(|p| !p.is_alphanumeric());
            run += 1;
            score += 1 + run * 2 + if word_start { 6 } else { 0 };
        } else {
            run = 0;
        }
        previous = Some(c);
    }
    if wanted.peek().is_some() {
        return None;
    }
    // Shorter texts for the same match read as the closer one.
    Some(score * 100 - i64::try_from(text.chars().count()).unwrap_or(i64::MAX / 200))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_in_order_match_and_word_starts_win() {
        assert!(fuzzy_score("imp", "Import CSV…").is_some());
        assert!(fuzzy_score("icsv", "Import CSV…").is_some());
        assert!(fuzzy_score("xyz", "Import CSV…").is_none());
        assert!(fuzzy_score("ACME", "Open acme bank").is_some());
        let word = fuzzy_score("lm", "Switch to light mode").unwrap();
        let inside = fuzzy_score("lm", "Palmer").unwrap();
        assert!(word > inside, "{word} {inside}");
        assert_eq!(fuzzy_score("", "anything"), Some(0));
        assert!(fuzzy_score("한빛", "Open 한빛은행 본인확인").is_some());
    }

    #[test]
    fn a_command_is_found_by_its_korean_or_its_english_name() {
        use crate::backends::{BackendKind, Capabilities};
        let state = AppState::new(
            crate::runtime::ConnectionInfo {
                backend: BackendKind::Hopae,
                org_id: None,
                environment: crate::api::Environment::Local,
                base_url: "http://127.0.0.1:1/connect/v1".into(),
                host: "127.0.0.1".into(),
                local_sandbox: true,
            },
            Capabilities::WORKSPACE,
        );
        let context = CommandContext {
            screen: super::super::command::Screen::Apps,
            capabilities: Capabilities::WORKSPACE,
            has_selection: false,
            dark_mode: true,
            loading: false,
            busy: false,
        };
        crate::i18n::Localizer::new(crate::i18n::Language::Korean).install();
        let korean = UiCommand::ImportCsv.label(&context);
        for query in ["가져오기", "import csv"] {
            let found = find(query, &state, &context, &[]);
            assert_eq!(
                found.first(),
                Some(&(PaletteItem::Command(UiCommand::ImportCsv), korean.clone())),
                "{query}"
            );
        }
        crate::i18n::Localizer::default().install();
        // In English, a Korean name finds nothing of the commands.
        assert!(find("가져오기", &state, &context, &[]).is_empty());
    }
}
