//! `apps providers APP`: the providers an app can use, whether each is enabled on the app, and
//! where its activation stands with what it still requires.

use serde_json::Value;

use super::CliError;
use super::output::{json_failed, print_json, print_table};
use crate::api::redact::{MASKED, is_secret_field};
use crate::api::{Client, ProviderStatus};

pub(super) async fn show(client: &Client, id: &str, json: bool) -> Result<(), CliError> {
    let (providers, app) = tokio::join!(client.list_providers(id), client.get_app(id));
    let providers = providers?;
    // The app says which providers are switched on; the catalog alone says only "active".
    let app = app.ok();
    if json {
        let mut value = serde_json::to_value(&providers).map_err(|e| CliError(json_failed(&e)))?;
        mask_requirement_values(&mut value);
        crate::api::redact::mask_secrets(&mut value);
        return print_json(&value).map_err(CliError);
    }
    let rows: Vec<Vec<String>> = providers
        .iter()
        .map(|p| {
            let enabled = match app.as_ref().and_then(|a| a.providers.get(&p.id)) {
                Some(setting) => yes_no(setting.enabled),
                None if app.is_some() => yes_no(false),
                None => p.is_active.map_or_else(|| "?".to_owned(), yes_no),
            };
            vec![
                p.id.clone(),
                p.display_name().to_owned(),
                p.countries.join(" "),
                p.loa
                    .iter()
                    .map(u8::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
                enabled,
                p.activation_status().label().to_string(),
                still_required(p),
            ]
        })
        .collect();
    print_table(
        &[
            crate::tr!("cli-col-id"),
            crate::tr!("cli-col-name"),
            crate::tr!("cli-col-countries"),
            crate::tr!("cli-col-loa"),
            crate::tr!("cli-col-enabled"),
            crate::tr!("cli-col-activation"),
            crate::tr!("cli-col-still-required"),
        ],
        &rows,
    );
    eprintln!(
        "{}",
        crate::tr!("cli-providers-count", count = providers.len())
    );
    Ok(())
}

fn yes_no(value: bool) -> String {
    if value {
        crate::tr!("cli-yes")
    } else {
        crate::tr!("cli-no")
    }
}

fn still_required(provider: &ProviderStatus) -> String {
    let missing = provider.still_required();
    if missing.is_empty() {
        return String::new();
    }
    missing
        .iter()
        .map(|r| r.display_name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A requirement whose id or type names a credential (an API key, a client secret) has its
/// values masked: they sit under `currentValue`, which no field-name rule would catch.
fn mask_requirement_values(value: &mut Value) {
    let Some(list) = value.as_array_mut() else {
        return;
    };
    for provider in list {
        let Some(requirements) = provider
            .pointer_mut("/activation/requirements")
            .and_then(Value::as_array_mut)
        else {
            continue;
        };
        for requirement in requirements {
            let secret = ["id", "type"].iter().any(|k| {
                requirement[*k]
                    .as_str()
                    .is_some_and(|s| is_secret_field(s) || s.eq_ignore_ascii_case("password"))
            });
            if !secret {
                continue;
            }
            for field in ["currentValue", "submittedValue"] {
                if let Some(v) = requirement.get_mut(field).filter(|v| !v.is_null()) {
                    *v = Value::String(MASKED.to_owned());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn credential_requirements_are_masked() {
        let mut value = json!([{"id": "x", "activation": {"requirements": [
            {"id": "apiKey", "currentValue": "FAKE_KEY"},
            {"id": "companyName", "currentValue": "Acme"},
            {"id": "c", "type": "secret", "submittedValue": "FAKE_2"}
        ]}}]);
        mask_requirement_values(&mut value);
        let text = value.to_string();
        assert!(!text.contains("FAKE"), "{text}");
        assert!(text.contains("Acme"));
    }
}
