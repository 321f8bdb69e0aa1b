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
    if let Some(url) = fields.get("url").filter(|u| !u.is_null()) {
        let valid = url
            .as_str()
            .and_then(|u| url::Url::parse(u).ok())
            .is_some_and(|u| u.scheme() == "https");
        if !valid {
            return Err(invalid(
                rid,
                "webhookConfig.url",
                "The webhook URL must be an https address",
                None,
            ));
        }
    }
    Ok(value.clone())
}
