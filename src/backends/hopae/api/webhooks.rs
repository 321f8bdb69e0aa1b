//! The webhook rules, checked locally before a PATCH and as the user types: the address (https
//! only, otherwise the redirect-URI rules), the retry and timeout ranges, and event names.
//! Also the event names the API documents, for an editor's checkboxes.

use super::models::{WebhookConfig, WebhookPatch};
use super::redirect_uris::normalize_uri;

/// Retry attempts a webhook may ask for (the API's default is 3).
pub const RETRY_ATTEMPTS: std::ops::RangeInclusive<u32> = 0..=10;
/// Seconds one delivery may take (the API's default is 10).
pub const TIMEOUT_SECONDS: std::ops::RangeInclusive<u32> = 1..=30;
/// Most event names one webhook may list.
pub const MAX_EVENTS: usize = 50;
/// Longest event name, in characters.
pub const MAX_EVENT_CHARS: usize = 100;

/// Event names the API documents, newest vocabulary first; a config may hold others, which an
/// editor keeps.
pub const KNOWN_EVENTS: [&str; 9] = [
    "verification.created",
    "verification.completed",
    "verification.failed",
    "verification.session.timed_out",
    "verification.workflow.cancelled",
    "verification.initiated",
    "verification.awaiting_user_action",
    "verification.expired",
    "verification.cancelled",
];

/// Checks and normalises a webhook address: the redirect-URI rules, but https only (the
/// server delivers to it, so not even localhost over http).
pub fn normalize_webhook_url(raw: &str) -> Result<String, String> {
    if raw.contains('#') {
        return Err(crate::tr!("hopae-webhook-fragment"));
    }
    // Said before the redirect-URI rules, whose message allows http for localhost.
    if raw.trim().to_ascii_lowercase().starts_with("http://") {
        return Err(crate::tr!("hopae-webhook-https-only"));
    }
    let url = normalize_uri(raw)?;
    if !url.starts_with("https://") {
        return Err(crate::tr!("hopae-webhook-https-only"));
    }
    Ok(url)
}

/// Checks one event name: 1 to 100 characters, no spaces or control characters.
pub fn check_event(name: &str) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(crate::tr!("hopae-event-empty"));
    }
    if name.chars().count() > MAX_EVENT_CHARS {
        return Err(crate::tr!("hopae-event-too-long", max = MAX_EVENT_CHARS));
    }
    if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(crate::tr!("hopae-event-not-a-name", name = name));
    }
    Ok(())
}

/// What is wrong with a patch, as `(parameter, sentence)`; or the patch to send (address
/// trimmed but otherwise as written, so that it compares equal with the CSV it came from;
/// events trimmed and de-duplicated in order).
pub fn validate_patch(patch: &WebhookPatch) -> Result<WebhookPatch, (&'static str, String)> {
    let mut out = patch.clone();
    if let Some(url) = &patch.url {
        normalize_webhook_url(url).map_err(|m| ("webhookConfig.url", m))?;
        out.url = Some(url.trim().to_owned());
    }
    if let Some(n) = patch.retry_attempts
        && !RETRY_ATTEMPTS.contains(&n)
    {
        return Err((
            "webhookConfig.retryAttempts",
            crate::tr!(
                "hopae-webhook-retry-range",
                min = RETRY_ATTEMPTS.start().to_string(),
                max = RETRY_ATTEMPTS.end().to_string(),
                value = n.to_string()
            ),
        ));
    }
    if let Some(n) = patch.timeout_seconds
        && !TIMEOUT_SECONDS.contains(&n)
    {
        return Err((
            "webhookConfig.timeoutSeconds",
            crate::tr!(
                "hopae-webhook-timeout-range",
                min = TIMEOUT_SECONDS.start().to_string(),
                max = TIMEOUT_SECONDS.end().to_string(),
                value = n.to_string()
            ),
        ));
    }
    if let Some(events) = &patch.events {
        let mut names: Vec<String> = Vec::with_capacity(events.len());
        for name in events {
            check_event(name).map_err(|m| ("webhookConfig.events", m))?;
            let name = name.trim().to_owned();
            if !names.contains(&name) {
                names.push(name);
            }
        }
        if names.len() > MAX_EVENTS {
            return Err((
                "webhookConfig.events",
                crate::tr!("hopae-webhook-too-many-events", max = MAX_EVENTS),
            ));
        }
        out.events = Some(names);
    }
    Ok(out)
}

impl WebhookPatch {
    /// Nothing would change.
    pub fn is_empty(&self) -> bool {
        self.enabled.is_none()
            && self.url.is_none()
            && self.retry_attempts.is_none()
            && self.timeout_seconds.is_none()
            && self.events.is_none()
    }

    /// This patch without the fields `current` already has, so that only real changes are
    /// sent (the API merges what it receives). Events are compared as sets.
    pub fn changes_from(&self, current: &WebhookConfig) -> WebhookPatch {
        let same_events = |wanted: &Vec<String>| {
            let mut a: Vec<&String> = wanted.iter().collect();
            let mut b: Vec<&String> = current.events.iter().collect();
            a.sort();
            a.dedup();
            b.sort();
            b.dedup();
            a == b
        };
        WebhookPatch {
            enabled: self.enabled.filter(|e| *e != current.enabled),
            url: self
                .url
                .clone()
                .filter(|u| current.url.as_deref() != Some(u.as_str())),
            retry_attempts: self
                .retry_attempts
                .filter(|n| current.retry_attempts != Some(*n)),
            timeout_seconds: self
                .timeout_seconds
                .filter(|n| current.timeout_seconds != Some(*n)),
            events: self.events.clone().filter(|e| !same_events(e)),
        }
    }

    /// The names of the fields this patch sets, in the API's spelling: "url, events".
    pub fn field_names(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if self.enabled.is_some() {
            names.push("enabled");
        }
        if self.url.is_some() {
            names.push("url");
        }
        if self.retry_attempts.is_some() {
            names.push("retryAttempts");
        }
        if self.timeout_seconds.is_some() {
            names.push("timeoutSeconds");
        }
        if self.events.is_some() {
            names.push("events");
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_https_only() {
        assert_eq!(
            normalize_webhook_url("https://Hooks.Example.com/in").unwrap(),
            "https://hooks.example.com/in"
        );
        assert!(normalize_webhook_url("http://hooks.example.com/in").is_err());
        assert!(normalize_webhook_url("http://localhost:8080/in").is_err());
        assert!(normalize_webhook_url("https://hooks.example.com/in#x").is_err());
        assert!(normalize_webhook_url("hooks.example.com").is_err());
    }

    #[test]
    fn patches_are_checked_and_events_deduplicated() {
        let patch = WebhookPatch {
            events: Some(vec![
                " verification.completed".into(),
                "verification.completed".into(),
            ]),
            retry_attempts: Some(10),
            ..WebhookPatch::default()
        };
        let checked = validate_patch(&patch).unwrap();
        assert_eq!(checked.events.unwrap(), ["verification.completed"]);
        let bad = WebhookPatch {
            timeout_seconds: Some(0),
            ..WebhookPatch::default()
        };
        assert_eq!(
            validate_patch(&bad).unwrap_err().0,
            "webhookConfig.timeoutSeconds"
        );
        let bad = WebhookPatch {
            events: Some(vec!["two words".into()]),
            ..WebhookPatch::default()
        };
        assert_eq!(validate_patch(&bad).unwrap_err().0, "webhookConfig.events");
    }

    #[test]
    fn only_changed_fields_remain() {
        let current = WebhookConfig {
            enabled: true,
            url: Some("https://a.example.com/h".into()),
            retry_attempts: Some(3),
            timeout_seconds: Some(10),
            events: vec!["a.b".into(), "c.d".into()],
            ..WebhookConfig::default()
        };
        let wanted = WebhookPatch {
            enabled: Some(true),
            url: Some("https://a.example.com/h".into()),
            retry_attempts: Some(5),
            timeout_seconds: Some(10),
            events: Some(vec!["c.d".into(), "a.b".into()]),
        };
        let changes = wanted.changes_from(&current);
        assert_eq!(
            changes,
            WebhookPatch {
                retry_attempts: Some(5),
                ..WebhookPatch::default()
            }
        );
        assert_eq!(changes.field_names(), ["retryAttempts"]);
        assert!(WebhookPatch::default().is_empty());
    }
}
