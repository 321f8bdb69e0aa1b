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
            ui.label(crate::tr!("providers-loading"));
        });
        return Some(reload);
    };
    let mut action = None;
    match providers {
        ProvidersState::Loading(_) => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(crate::tr!("providers-loading"));
            });
        }
        ProvidersState::Failed(error) => {
            ui.api_error(error);
            if ui.button(crate::tr!("details-try-again")).clicked() {
                action = Some(reload);
            }
        }
        ProvidersState::Loaded(list) => {
            ui.horizontal(|ui| {
                ui.weak(summary(list));
                if ui.small_button(crate::tr!("providers-reload")).clicked() {
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
                ui.weak(crate::tr!("providers-empty"));
            }
        }
    }
    action
}

/// "Countries EE, LV, LT · levels of assurance 2, 3".
fn facts(provider: &ProviderStatus) -> String {
    let mut facts = Vec::new();
    if !provider.countries.is_empty() {
        facts.push(crate::tr!(
            "providers-countries",
            countries = provider.countries.join(", ").to_uppercase()
        ));
    }
    if !provider.loa.is_empty() {
        let levels: Vec<String> = provider.loa.iter().map(u8::to_string).collect();
        facts.push(crate::tr!("providers-levels", levels = levels.join(", ")));
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
    let mut text = crate::tr!(
        "providers-summary",
        count = list.len(),
        activated = activated
    );
    if waiting > 0 {
        text.push_str(" · ");
        text.push_str(&crate::tr!("providers-summary-waiting", count = waiting));
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
            crate::tr!("providers-on-for-app")
        } else {
            crate::tr!("providers-off-for-app")
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
        let title = egui::RichText::new(crate::tr!(
            "providers-still-required",
            count = missing.len()
        ))
        .color(tokens.warning);
        egui::CollapsingHeader::new(title)
            .id_salt(("requirements", &provider.id))
            .show(ui, |ui| {
                for requirement in missing {
                    let mut line = format!("• {}", requirement.display_name());
                    if let Some(example) = requirement.example.as_deref().filter(|e| !e.is_empty())
                    {
                        line.push_str(&crate::tr!("providers-example", example = example));
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
