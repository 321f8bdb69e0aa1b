//! Apps: list (offset paging), get, create, update (PATCH merges a webhook config, see
//! `webhook`), rotate the client secret, replace the redirect URIs.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Extension, Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse as _, Response};
use serde_json::{Value, json};

use super::envelope::{
    app_not_found, app_not_found_stored, invalid, json_object, missing, ok, stored_to_response,
};
use super::idempotency::idempotent;
use super::validation::{check_name, check_redirect_uris};
use super::{Ctx, RequestId, change, webhook};
use crate::sandbox::store::{SbApp, Store, StoredResponse};

const MAX_PAGE: usize = 100;

pub(super) async fn list_apps(
    (State(shared), Extension(rid)): Ctx,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let number = |name: &str, default: usize| -> Result<usize, Box<Response>> {
        match query.get(name) {
            None => Ok(default),
            Some(raw) => raw.trim().parse::<usize>().map_err(|_| {
                Box::new(stored_to_response(
                    &invalid(
                        &rid,
                        name,
                        &format!("{name} must be a whole number"),
                        Some(json!(raw)),
                    ),
                    false,
                ))
            }),
        }
    };
    let (limit, offset) = match (number("limit", 20), number("offset", 0)) {
        (Ok(l), Ok(o)) => (l, o),
        (Err(e), _) | (_, Err(e)) => return *e,
    };
    if !(1..=MAX_PAGE).contains(&limit) {
        return stored_to_response(
            &invalid(
                &rid,
                "limit",
                &format!("limit must be between 1 and {MAX_PAGE}"),
                Some(json!(limit)),
            ),
            false,
        );
    }
    // Copy the page out so the lock is not held while it is serialized.
    let (page, total) = {
        let store = shared.store();
        let page: Vec<SbApp> = store
            .apps
            .iter()
            .skip(offset)
            .take(limit)
            .cloned()
            .collect();
        (page, store.apps.len())
    };
    #[derive(serde::Serialize)]
    struct PageOut {
        data: Vec<SbApp>,
        total: usize,
        limit: usize,
        offset: usize,
    }
    let body = PageOut {
        data: page,
        total,
        limit,
        offset,
    };
    (StatusCode::OK, axum::Json(body)).into_response()
}

pub(super) async fn get_app(
    (State(shared), Extension(rid)): Ctx,
    Path(id): Path<String>,
) -> Response {
    match shared.store().app(&id) {
        Some(app) => ok(app_json(app)),
        None => app_not_found(&rid, &id),
    }
}

pub(super) async fn create_app(
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
        let name = match check_name(&rid, fields.get("name")) {
            Ok(name) => name,
            Err(e) => return e,
        };
        let app = shared.store().create_app(&name, Vec::new(), None);
        StoredResponse {
            status: StatusCode::CREATED.as_u16(),
            location: Some(format!("/connect/v1/apps/{}", app.client_id)),
            body: app_json(&app),
        }
    })
    .await
}

pub(super) async fn update_app(
    (State(shared), Extension(rid)): Ctx,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    change(&shared, |store| patch_app(store, &rid, &id, &body))
}

fn patch_app(store: &mut Store, rid: &RequestId, id: &str, body: &[u8]) -> StoredResponse {
    let fields = match json_object(rid, body) {
        Ok(fields) => fields,
        Err(e) => return e,
    };
    if store.app(id).is_none() {
        return app_not_found_stored(rid, id);
    }
    for immutable in ["clientId", "clientSecret", "client_id", "client_secret"] {
        if fields.contains_key(immutable) {
            return invalid(
                rid,
                immutable,
                &format!("{immutable} cannot be changed"),
                None,
            );
        }
    }
    let name = match fields.get("name") {
        None => None,
        value => match check_name(rid, value) {
            Ok(name) => Some(name),
            Err(e) => return e,
        },
    };
    let uris = match fields.get("redirectUris") {
        None => None,
        Some(value) => match check_redirect_uris(rid, value) {
            Ok(uris) => Some(uris),
            Err(e) => return e,
        },
    };
    let Some(app) = store.app_mut(id) else {
        return missing(rid, "clientId");
    };
    // Checked and merged before anything changes: a bad webhook leaves the name alone too.
    let webhook = match fields.get("webhookConfig") {
        None => None,
        Some(value) => match webhook::patched(rid, &app.webhook_config, value) {
            Ok(config) => Some(config),
            Err(e) => return e,
        },
    };
    if let Some(name) = name {
        app.name = name;
    }
    if let Some(uris) = uris {
        app.redirect_uris = uris;
    }
    if let Some(webhook) = webhook {
        app.webhook_config = webhook;
    }
    StoredResponse {
        status: 200,
        body: app_json(app),
        location: None,
    }
}

pub(super) async fn rotate_secret(
    (State(shared), Extension(rid)): Ctx,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    idempotent(&shared, &rid, &headers, &method, &uri, &body, |shared| {
        let mut store = shared.store();
        let secret = store.new_secret();
        match store.app_mut(&id) {
            Some(app) => {
                app.client_secret.clone_from(&secret);
                StoredResponse {
                    status: 200,
                    body: json!({"clientSecret": secret}),
                    location: None,
                }
            }
            None => app_not_found_stored(&rid, &id),
        }
    })
    .await
}

pub(super) async fn replace_redirect_uris(
    (State(shared), Extension(rid)): Ctx,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    change(&shared, |store| {
        let checked =
            json_object(&rid, &body).and_then(|fields| match fields.get("redirectUris") {
                None | Some(Value::Null) => Err(missing(&rid, "redirectUris")),
                Some(value) => check_redirect_uris(&rid, value),
            });
        match (checked, store.app_mut(&id)) {
            (_, None) => app_not_found_stored(&rid, &id),
            (Err(e), _) => e,
            (Ok(uris), Some(app)) => {
                app.redirect_uris.clone_from(&uris);
                StoredResponse {
                    status: 200,
                    body: json!({"redirectUris": uris}),
                    location: None,
                }
            }
        }
    })
}

pub(super) fn app_json(app: &SbApp) -> Value {
    serde_json::to_value(app).unwrap_or(Value::Null)
}
