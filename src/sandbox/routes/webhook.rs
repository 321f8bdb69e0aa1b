//! An app's webhook: its config merged by PATCH (on the app or on `/webhook-config`), read with
//! `GET /apps/{id}/webhook-config`, and its signing secret rotated with an idempotency key.

use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use serde_json::{Value, json};

use super::envelope::{app_not_found, app_not_found_stored, json_object, missing, ok};
use super::idempotency::idempotent;
use super::validation::check_webhook;
use super::{Ctx, RequestId, change};
use crate::sandbox::store::{Store, StoredResponse};

/// `config` with a checked `patch` merged in: fields in the patch replace the stored ones,
/// omitted fields are kept, and a `null` removes the field (a `url` only).
pub(crate) fn merged(config: &Value, patch: &Value) -> Value {
    let mut out = config.as_object().cloned().unwrap_or_default();
    if let Some(patch) = patch.as_object() {
        for (key, value) in patch {
            if value.is_null() {
                out.remove(key);
            } else {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Object(out)
}

/// Whether a merged config is enabled without an address to deliver to.
pub(crate) fn enabled_without_url(config: &Value) -> bool {
    let enabled = config["enabled"].as_bool().unwrap_or(false);
    let has_url = config["url"].as_str().is_some_and(|u| !u.is_empty());
    enabled && !has_url
}

/// Checks a config after the merge: an enabled webhook needs an address to deliver to.
pub(super) fn check_merged(rid: &RequestId, config: &Value) -> Result<(), StoredResponse> {
    if enabled_without_url(config) {
        return Err(missing(rid, "webhookConfig.url"));
    }
    Ok(())
}

/// Checks `value` (a partial webhook config) and returns the app's config with it merged in,
/// without storing anything.
pub(super) fn patched(
    rid: &RequestId,
    current: &Value,
    value: &Value,
) -> Result<Value, StoredResponse> {
    let patch = check_webhook(rid, value)?;
    let config = merged(current, &patch);
    check_merged(rid, &config)?;
    Ok(config)
}

pub(super) async fn get_webhook_config(
    (State(shared), Extension(rid)): Ctx,
    Path(id): Path<String>,
) -> Response {
    let store = shared.store();
    let Some(app) = store.app(&id) else {
        return app_not_found(&rid, &id);
    };
    // The documented GET shows the signing secret (here, once one has been issued).
    let mut config = app.webhook_config.clone();
    if let (Some(fields), Some(secret)) = (config.as_object_mut(), store.webhook_secrets.get(&id)) {
        fields.insert("secret".into(), json!(secret));
    }
    ok(config)
}

pub(super) async fn patch_webhook_config(
    (State(shared), Extension(rid)): Ctx,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    change(&shared, |store| patch_config(store, &rid, &id, &body))
}

fn patch_config(store: &mut Store, rid: &RequestId, id: &str, body: &[u8]) -> StoredResponse {
    let fields = match json_object(rid, body) {
        Ok(fields) => Value::Object(fields),
        Err(e) => return e,
    };
    let Some(app) = store.app_mut(id) else {
        return app_not_found_stored(rid, id);
    };
    match patched(rid, &app.webhook_config, &fields) {
        Ok(config) => {
            app.webhook_config = config;
            StoredResponse {
                status: 200,
                body: app.webhook_config.clone(),
                location: None,
            }
        }
        Err(e) => e,
    }
}

/// `POST /apps/{id}/webhook-config/rotate-secret`: a new signing secret, `{secret}`; the old
/// one stops verifying at once. A replay with the same key returns the same secret.
pub(super) async fn rotate_webhook_secret(
    (State(shared), Extension(rid)): Ctx,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    idempotent(&shared, &rid, &headers, &method, &uri, &body, |shared| {
        let mut store = shared.store();
        if store.app(&id).is_none() {
            return app_not_found_stored(&rid, &id);
        }
        let secret = store.new_webhook_secret();
        store.webhook_secrets.insert(id.clone(), secret.clone());
        StoredResponse {
            status: 200,
            body: json!({"secret": secret}),
            location: None,
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merge_keeps_omitted_fields_and_null_removes_one() {
        let stored = json!({"enabled": true, "url": "https://a.example.com/h", "retryAttempts": 3,
                            "timeoutSeconds": 10, "events": ["verification.completed"]});
        let out = merged(&stored, &json!({"retryAttempts": 5}));
        assert_eq!(out["retryAttempts"], 5);
        assert_eq!(out["url"], "https://a.example.com/h");
        assert_eq!(out["events"], json!(["verification.completed"]));
        let out = merged(&out, &json!({"enabled": false, "url": null}));
        assert!(out.get("url").is_none());
        let rid = RequestId("r".into());
        assert!(check_merged(&rid, &out).is_ok());
        assert!(check_merged(&rid, &json!({"enabled": true})).is_err());
    }
}
