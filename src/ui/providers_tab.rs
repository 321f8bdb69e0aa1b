//! The providers tab of an app: each identity provider of its catalog with where its activation
//! stands, whether the app has it turned on, and what activation still requires. Read only; it
//! asks for the catalog once per app and on Reload.

use super::action::Action;
use super::state::{AppState, ProvidersState};
use super::theme;
use super::widgets::UiExt as _;
use crate::api::{ActivationStatus, ProviderStatus};
use crate::backends::model::OidcApp;

/// Draws the catalog of `app`, asking for it when it was never loaded.
pub fn ui(ui: &mut egui::Ui, state: &AppState, id: &str, app: &OidcApp) -> Option<Action> {
    let reload = Action::LoadProviders(id.to_owned());
    let Some(providers) = state.providers.get(id) else {
        // First look at this tab for this app: ask, and show the spinner meanwhile.
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Loading providers…");
        });
        return Some(reload);
    };
    let mut action = None;
    match providers {
        ProvidersState::Loading(_) => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Loading providers…");
            });
        }
        ProvidersState::Failed(error) => {
            ui.api_error(error);
            if ui.button("Try again").clicked() {
                action = Some(reload);
            }
        }
        ProvidersState::Loaded(list) => {
            ui.horizontal(|ui| {
                ui.weak(summary(list));
                if ui.small_button("Reload").clicked() {
                    action = Some(reload);
                }
            });
            ui.add_space(6.0);
            let enabled = app.enabled_providers();
            for provider in list {
                provider_ui(ui, provider, enabled.contains(&provider.id.as_str()));
                ui.separator();
            }
            if list.is_empty() {
                ui.weak("This app's catalog lists no providers.");
            }
        }
    }
    action
}

/// "Countries EE, LV, LT · levels of assurance 2, 3".
fn facts(provider: &ProviderStatus) -> String {
    let mut facts = Vec::new();
    if !provider.countries.is_empty() {
        facts.push(format!(
            "Countries {}",
            provider.countries.join(", ").to_uppercase()
        ));
    }
    if !provider.loa.is_empty() {
        let levels: Vec<String> = provider.loa.iter().map(u8::to_string).collect();
        facts.push(format!("levels of assurance {}", levels.join(", ")));
    }
    facts.join(" · ")
}

/// "3 providers · 1 activated · 1 needs information".
fn summary(list: &[ProviderStatus]) -> String {
    let activated = list
        .iter()
        .filter(|p| p.activation_status() == ActivationStatus::Activated)
        .count();
    let waiting = list
        .iter()
        .filter(|p| !p.still_required().is_empty())
        .count();
    let mut text = format!(
        "{} provider{} · {activated} activated",
        list.len(),
        if list.len() == 1 { "" } else { "s" }
    );
    if waiting > 0 {
        text.push_str(&format!(" · {waiting} need information"));
    }
    text
}

fn provider_ui(ui: &mut egui::Ui, provider: &ProviderStatus, enabled: bool) {
    let tokens = theme::tokens(ui.visuals().dark_mode);
    let status = provider.activation_status();
    ui.horizontal_wrapped(|ui| {
        ui.strong(provider.display_name());
        let colour = match status {
            ActivationStatus::Activated => tokens.success,
            ActivationStatus::Requested | ActivationStatus::Processing => tokens.warning,
            ActivationStatus::Rejected => tokens.error,
            ActivationStatus::NotActivated | ActivationStatus::Other(_) => tokens.neutral,
        };
        ui.colored_label(colour, format!("● {}", status.label()));
        ui.weak(if enabled {
            "· on for this app"
        } else {
            "· off for this app"
        });
    });
    let facts = facts(provider);
    if !facts.is_empty() {
        ui.weak(facts);
    }
    if let Some(description) = provider.description.as_deref().filter(|d| !d.is_empty()) {
        ui.weak(description);
    }
    let missing = provider.still_required();
    if !missing.is_empty() {
        // Folded: a catalog of many providers stays readable; the count says there is more.
        let title = egui::RichText::new(format!(
            "Still required for activation: {} detail{}",
            missing.len(),
            if missing.len() == 1 { "" } else { "s" }
        ))
        .color(tokens.warning);
        egui::CollapsingHeader::new(title)
            .id_salt(("requirements", &provider.id))
            .show(ui, |ui| {
                for requirement in missing {
                    let mut line = format!("• {}", requirement.display_name());
                    if let Some(example) = requirement.example.as_deref().filter(|e| !e.is_empty())
                    {
                        line.push_str(&format!(" (for example {example})"));
                    }
                    ui.label(line);
                }
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_what_matters() {
        let activated = ProviderStatus {
            id: "a".into(),
            status: Some(ActivationStatus::Activated),
            ..ProviderStatus::default()
        };
        let plain = ProviderStatus {
            id: "b".into(),
            ..ProviderStatus::default()
        };
        assert_eq!(summary(&[activated, plain]), "2 providers · 1 activated");
    }
}
