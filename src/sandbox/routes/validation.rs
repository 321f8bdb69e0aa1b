//! The documented rules for what a write may contain: names, redirect URIs, webhook configs.

use serde_json::{Value, json};

use super::RequestId;
use super::envelope::{invalid, missing};
use crate::sandbox::store::StoredResponse;

const MAX_NAME_CHARS: usize = 100;
const MAX_URIS: usize = 20;
const MAX_URI_CHARS: usize = 2048;

/// Name rules: a string, not blank, at most 100 characters, no control characters.
pub(super) fn check_name(rid: &RequestId, value: Option<&Value>) -> Result<String, StoredResponse> {
    let Some(raw) = value.and_then(Value::as_str) else {
        return Err(match value {
            None | Some(Value::Null) => missing(rid, "name"),
            Some(_) => invalid(rid, "name", "name must be a string", None),
        });
    };
    let name = raw.trim();
    if name.is_empty() {
        return Err(missing(rid, "name"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(invalid(
            rid,
            "name",
            &format!("name must be at most {MAX_NAME_CHARS} characters"),
            None,
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(invalid(
            rid,
            "name",
            "name must not contain control characters",
            None,
        ));
    }
    Ok(name.to_owned())
}

/// The documented redirect-URI rules; returns the list de-duplicated with hosts lower-cased.
pub(super) fn check_redirect_uris(
    rid: &RequestId,
    value: &Value,
) -> Result<Vec<String>, StoredResponse> {
    let Some(items) = value.as_array() else {
        return Err(invalid(
            rid,
            "redirectUris",
            "redirectUris must be a list of strings",
            None,
        ));
    };
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let Some(raw) = item.as_str() else {
            return Err(invalid(
                rid,
                "redirectUris",
                "redirectUris must be a list of strings",
                None,
            ));
        };
        let bad = |why: &str| invalid(rid, "redirectUris", why, Some(json!(raw)));
        if raw.chars().count() > MAX_URI_CHARS {
            return Err(bad("A redirect URI may be at most 2048 characters"));
        }
        if raw.contains('#') {
            return Err(bad("A redirect URI must not contain a fragment"));
        }
        let Ok(url) = url::Url::parse(raw) else {
            return Err(bad("A redirect URI must be an absolute URL"));
        };
        let Some(host) = url.host_str() else {
            return Err(bad("A redirect URI must have a host"));
        };
        let allowed = url.scheme() == "https" || (url.scheme() == "http" && host == "localhost");
        if !allowed {
            return Err(bad(
                "A redirect URI must use https (http is allowed only for localhost)",
            ));
        }
        let normalized = url.to_string();
        if !out.contains(&normalized) {
            out.push(normalized);
        }
    }
    if out.len() > MAX_URIS {
        return Err(invalid(
            rid,
            "redirectUris",
            "An app may have at most 20 redirect URIs",
            Some(json!(out.len())),
        ));
    }
    Ok(out)
}

/// Retry attempts a webhook config may ask for (the API's default is 3).
pub(super) const WEBHOOK_RETRIES: std::ops::RangeInclusive<u64> = 0..=10;
/// Seconds one webhook delivery may take (the API's default is 10).
pub(super) const WEBHOOK_TIMEOUT_SECS: std::ops::RangeInclusive<u64> = 1..=30;
/// Event names one webhook config may list.
const MAX_WEBHOOK_EVENTS: usize = 50;
const MAX_EVENT_CHARS: usize = 100;
/// The fields of a webhook config a write may set; `secret` is set by rotation only.
const WEBHOOK_FIELDS: [&str; 5] = [
    "enabled",
    "url",
    "retryAttempts",
    "timeoutSeconds",
    "events",
];

/// A partial webhook config as written: an object of known fields only, `url` an https
/// address by the redirect-URI rules (or `null` to remove it), `retryAttempts` and
/// `timeoutSeconds` whole numbers in range, `events` a list of event names. Returns the patch
/// with its events trimmed and de-duplicated.
pub(super) fn check_webhook(rid: &RequestId, value: &Value) -> Result<Value, StoredResponse> {
    let Some(fields) = value.as_object() else {
        return Err(invalid(
            rid,
            "webhookConfig",
            "webhookConfig must be an object",
            None,
        ));
    };
    if fields.contains_key("secret") {
        return Err(invalid(
            rid,
            "webhookConfig.secret",
            "The webhook secret cannot be set; rotate it instead",
            None,
        ));
    }
    if let Some(unknown) = fields
        .keys()
        .find(|k| !WEBHOOK_FIELDS.contains(&k.as_str()))
    {
        return Err(invalid(
            rid,
            &format!("webhookConfig.{unknown}"),
            &format!(
                "{unknown} is not a webhook setting; use {}",
                WEBHOOK_FIELDS.join(", ")
            ),
            None,
        ));
    }
    let mut patch = fields.clone();
    if let Some(enabled) = fields.get("enabled")
        && !enabled.is_boolean()
    {
        return Err(invalid(
            rid,
            "webhookConfig.enabled",
            "enabled must be true or false",
            Some(enabled.clone()),
        ));
    }
    if let Some(url) = fields.get("url").filter(|u| !u.is_null()) {
        check_webhook_url(rid, url)?;
    }
    for (name, range) in [
        ("retryAttempts", WEBHOOK_RETRIES),
        ("timeoutSeconds", WEBHOOK_TIMEOUT_SECS),
    ] {
        let Some(raw) = fields.get(name) else {
            continue;
        };
        if !raw.as_u64().is_some_and(|n| range.contains(&n)) {
            return Err(invalid(
                rid,
                &format!("webhookConfig.{name}"),
                &format!(
                    "{name} must be a whole number from {} to {}",
                    range.start(),
                    range.end()
                ),
                Some(raw.clone()),
            ));
        }
    }
    if let Some(events) = fields.get("events") {
        patch.insert("events".into(), Value::Array(check_events(rid, events)?));
    }
    Ok(Value::Object(patch))
}

fn check_webhook_url(rid: &RequestId, url: &Value) -> Result<(), StoredResponse> {
    let bad = |why: &str| {
        Err(invalid(
            rid,
            "webhookConfig.url",
            why,
            url.as_str().map(|u| json!(u)),
        ))
    };
    let Some(raw) = url.as_str() else {
        return bad("The webhook URL must be a string");
    };
    if raw.chars().count() > MAX_URI_CHARS {
        return bad("The webhook URL may be at most 2048 characters");
    }
    if raw.contains('#') {
        return bad("The webhook URL must not contain a fragment");
    }
    let parsed = url::Url::parse(raw);
    if !parsed.as_ref().is_ok_and(|u| u.scheme() == "https") {
        return bad("The webhook URL must be an https address");
    }
    if parsed
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .is_none()
    {
        return bad("The webhook URL must have a host");
    }
    Ok(())
}

fn check_events(rid: &RequestId, events: &Value) -> Result<Vec<Value>, StoredResponse> {
    let bad = |why: &str| invalid(rid, "webhookConfig.events", why, None);
    let Some(items) = events.as_array() else {
        return Err(bad("events must be a list of event names"));
    };
    let mut names: Vec<Value> = Vec::new();
    for item in items {
        let Some(name) = item.as_str().map(str::trim) else {
            return Err(bad("events must be a list of event names"));
        };
        if name.is_empty()
            || name.chars().count() > MAX_EVENT_CHARS
            || name.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(bad(
                "An event name is 1 to 100 characters without spaces, like verification.completed",
            ));
        }
        let name = json!(name);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if names.len() > MAX_WEBHOOK_EVENTS {
        return Err(bad("A webhook may list at most 50 events"));
    }
    Ok(names)
}
