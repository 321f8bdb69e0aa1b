//! `POST /apps/batch`: up to 100 apps, `continueOnError`, and per-item idempotency keys whose
//! replay returns the same app and secret.
//!
//! Items are checked, and new apps drafted (ids, secret, default workflow, answer JSON), before
//! the store's lock is taken; under the lock only the keys are looked up and the apps added.

use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::envelope::{invalid, json_object, missing};
use super::idempotency::{MAX_KEY_CHARS, fingerprint, idempotent};
use super::validation::{check_name, check_redirect_uris, check_webhook};
use super::{Ctx, RequestId};
use crate::sandbox::store::{IdempotencyRecord, SbApp, Store, StoredResponse, now_unix};

const MAX_BATCH: usize = 100;

pub(super) async fn batch_create(
    (State(shared), Extension(rid)): Ctx,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    idempotent(&shared, &rid, &headers, &method, &uri, &body, |shared| {
        let fields = match json_object(&rid, &body) {
            Ok(fields) => fields,
            Err(e) => return e,
        };
        let Some(items) = fields.get("items") else {
            return missing(&rid, "items");
        };
        let Some(items) = items.as_array() else {
            return invalid(&rid, "items", "items must be a list", None);
        };
        if items.is_empty() || items.len() > MAX_BATCH {
            return invalid(
                &rid,
                "items",
                &format!("items must hold 1 to {MAX_BATCH} apps"),
                Some(json!(items.len())),
            );
        }
        let continue_on_error = fields
            .get("continueOnError")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let checked: Vec<Result<Draft, Value>> = {
            let (mut rng, organization_id) = {
                let mut store = shared.store();
                (store.fork_rng(), store.organization_id.clone())
            };
            items
                .iter()
                .map(|item| {
                    let fields = check_item(&rid, item)?;
                    let app = Store::draft_app(
                        &mut rng,
                        &organization_id,
                        &fields.name,
                        fields.redirect_uris,
                        fields.webhook.as_ref(),
                    );
                    Ok(Draft {
                        body: answer(&app),
                        app,
                        key: fields.key,
                        fingerprint: fields.fingerprint,
                    })
                })
                .collect()
        };
        let mut results = Vec::with_capacity(items.len());
        let (mut successes, mut errors) = (0, 0);
        {
            let mut store = shared.store();
            for (item, draft) in items.iter().zip(checked) {
                let key = item
                    .get("idempotencyKey")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                match draft.and_then(|draft| add(&mut store, draft)) {
                    Ok(app) => {
                        successes += 1;
                        results.push(json!({"app": app, "idempotencyKey": key}));
                    }
                    Err(error) => {
                        errors += 1;
                        results.push(json!({"error": error, "idempotencyKey": key}));
                        if !continue_on_error {
                            break;
                        }
                    }
                }
            }
        }
        StoredResponse {
            status: StatusCode::OK.as_u16(),
            body: json!({"results": results, "successCount": successes, "errorCount": errors}),
            location: None,
        }
    })
    .await
}

/// The fields of one checked item.
struct ItemFields {
    name: String,
    redirect_uris: Vec<String>,
    webhook: Option<Value>,
    key: Option<String>,
    fingerprint: String,
}

/// A checked item with its new app drafted, ready to add.
struct Draft {
    app: SbApp,
    body: Value,
    key: Option<String>,
    fingerprint: String,
}

/// The item's fields by the documented rules, or the per-item error.
fn check_item(rid: &RequestId, item: &Value) -> Result<ItemFields, Value> {
    let inner = |stored: StoredResponse| stored.body["error"].clone();
    let Some(fields): Option<&Map<String, Value>> = item.as_object() else {
        return Err(inner(invalid(
            rid,
            "items",
            "Each item must be an object",
            None,
        )));
    };
    let key = match fields.get("idempotencyKey") {
        None | Some(Value::Null) => None,
        Some(Value::String(k)) if !k.is_empty() && k.chars().count() <= MAX_KEY_CHARS => {
            Some(k.clone())
        }
        Some(_) => {
            return Err(inner(invalid(
                rid,
                "idempotencyKey",
                "idempotencyKey must be 1 to 255 characters",
                None,
            )));
        }
    };
    let name = check_name(rid, fields.get("name")).map_err(inner)?;
    let redirect_uris = match fields.get("redirectUris") {
        None | Some(Value::Null) => Vec::new(),
        Some(value) => check_redirect_uris(rid, value).map_err(inner)?,
    };
    let webhook = match fields.get("webhookConfig") {
        None | Some(Value::Null) => None,
        Some(value) => Some(check_webhook(rid, value).map_err(inner)?),
    };
    Ok(ItemFields {
        name,
        redirect_uris,
        webhook,
        key,
        fingerprint: fingerprint(&[serde_json::to_vec(item).unwrap_or_default().as_slice()]),
    })
}

/// The app as a batch result shows it: id, secret, name, redirect URIs and webhook only.
fn answer(app: &SbApp) -> Value {
    json!({
        "clientId": app.client_id, "clientSecret": app.client_secret, "name": app.name,
        "redirectUris": app.redirect_uris, "webhookConfig": app.webhook_config,
    })
}

/// Adds a drafted app, or replays the app its key created before (a key used for another item
/// is a conflict).
fn add(store: &mut Store, draft: Draft) -> Result<Value, Value> {
    if let Some(key) = &draft.key
        && let Some(record) = store.item_keys.get(key)
    {
        return match &record.response {
            Some(stored) if record.fingerprint == draft.fingerprint => Ok(stored.body.clone()),
            _ => Err(json!({
                "code": "IDEMPOTENCY_KEY_CONFLICT",
                "message": "This idempotencyKey was already used for a different item",
                "details": {"parameter": "idempotencyKey", "value": key}
            })),
        };
    }
    let drafted_id = draft.app.client_id.clone();
    let stored = store.insert_app(draft.app);
    // A client id drawn again after a collision changes the answer.
    let body = if stored.client_id == drafted_id {
        draft.body
    } else {
        answer(stored)
    };
    if let Some(key) = draft.key {
        store.item_keys.insert(
            key,
            IdempotencyRecord {
                fingerprint: draft.fingerprint,
                response: Some(StoredResponse {
                    status: 201,
                    body: body.clone(),
                    location: None,
                }),
                created_unix: now_unix(),
            },
        );
    }
    Ok(body)
}
