//! Export of apps, without secrets: a CSV in the import's own format, so an exported file
//! imports back (and with "existing: update" changes nothing), or JSON.
//!
//! The CSV has the import's headers `name,redirectUris,webhookUrl,externalId`: redirect URIs
//! separated by spaces, the webhook address only where the webhook is on (the import turns on
//! the webhook of every address it is given), and the external id an earlier import created
//! the app under, found in the import journal. Cells a spreadsheet would run as a formula get a
//! leading apostrophe, which the import removes again. No client secret, webhook secret or
//! provider credential is written.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::api::App;
use crate::api::redact::mask_secrets;
use crate::import::formula::spreadsheet_csv;
use crate::import::journal::EntryState;
use crate::import::map::Field;
use crate::import::{ImportError, Journal};

/// The export's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// The import's CSV (UTF-8 with a BOM, so Excel reads accents and CJK right).
    #[default]
    Csv,
    /// The apps as the API sends them, without secrets and with credentials masked.
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            _ => Err(crate::tr!("export-format-unknown", text = text)),
        }
    }
}

/// One app as a row of the import's CSV, cells in the order of [`Field::ALL`], before
/// formula neutralisation.
pub fn csv_row(app: &App, external_id: Option<&str>) -> [String; 4] {
    let webhook = app
        .webhook_config
        .as_ref()
        .filter(|w| w.enabled)
        .and_then(|w| w.url.clone())
        .unwrap_or_default();
    [
        app.name.clone(),
        app.redirect_uris.join(" "),
        webhook,
        external_id.unwrap_or_default().to_owned(),
    ]
}

/// The CSV of `apps`: a BOM, the import's header, one row per app. `external_ids` maps a
/// client id to the external id it was imported under (see [`external_ids`]).
pub fn to_csv(apps: &[App], external_ids: &HashMap<String, String>) -> Vec<u8> {
    spreadsheet_csv(
        &Field::ALL.map(Field::header),
        apps.iter()
            .map(|app| csv_row(app, external_ids.get(&app.client_id).map(String::as_str))),
    )
}

/// The JSON of `apps`: a list of the API's camelCase objects, without client secrets, with a
/// provider's credentials masked.
pub fn to_json(apps: &[App]) -> Value {
    let public: Vec<App> = apps.iter().map(App::without_secret).collect();
    let mut value = serde_json::to_value(public).unwrap_or(Value::Array(Vec::new()));
    mask_secrets(&mut value);
    value
}

/// The external ids earlier imports created apps under, by client id, from the journal of the
/// workspace at `workspace` (its base URL) in `journal_dir`. An absent journal gives none.
pub fn external_ids(
    journal_dir: &Path,
    workspace: &str,
) -> Result<HashMap<String, String>, ImportError> {
    let entries = Journal::read(journal_dir, workspace)?;
    Ok(entries
        .into_values()
        .filter(|entry| entry.state == EntryState::Created)
        .filter_map(|entry| {
            let external = entry.id.strip_prefix("ext:")?.to_owned();
            Some((entry.client_id?, external))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::WebhookConfig;

    fn app(id: &str, name: &str, uris: &[&str], hook: Option<(&str, bool)>) -> App {
        App {
            client_id: id.into(),
            client_secret: Some("FAKE_SECRET_0123456789".into()),
            name: name.into(),
            redirect_uris: uris.iter().map(|u| (*u).to_owned()).collect(),
            webhook_config: hook.map(|(url, enabled)| WebhookConfig {
                enabled,
                url: Some(url.into()),
                ..WebhookConfig::default()
            }),
            ..App::default()
        }
    }

    #[test]
    fn csv_uses_the_import_headers_neutralises_formulas_and_has_no_secret() {
        let apps = [
            app(
                "A1",
                "=HYPERLINK(\"x\")",
                &["https://a.example.com/cb", "https://b.example.com/cb"],
                Some(("https://h.example.com/in", true)),
            ),
            app(
                "A2",
                "Café, \"quoted\"",
                &[],
                Some(("https://off.example.com/in", false)),
            ),
        ];
        let ids = HashMap::from([("A2".to_owned(), "-42".to_owned())]);
        let bytes = to_csv(&apps, &ids);
        let text = String::from_utf8(bytes).unwrap();
        let text = text.strip_prefix('\u{feff}').unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("name,redirectUris,webhookUrl,externalId")
        );
        assert_eq!(
            lines.next(),
            Some(
                "\"'=HYPERLINK(\"\"x\"\")\",https://a.example.com/cb https://b.example.com/cb,https://h.example.com/in,"
            )
        );
        assert_eq!(lines.next(), Some("\"Café, \"\"quoted\"\"\",,,'-42"));
        assert!(!text.contains("FAKE_SECRET"));
        assert!(!to_json(&apps).to_string().contains("FAKE_SECRET"));
    }

    #[test]
    fn formats_parse() {
        assert_eq!("CSV".parse::<Format>().unwrap(), Format::Csv);
        assert_eq!("json".parse::<Format>().unwrap(), Format::Json);
        assert!("xml".parse::<Format>().is_err());
    }
}
