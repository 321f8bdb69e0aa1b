//! `GET /apps/{id}/providers[?include=activation]`: the provider catalog as one app sees it
//! (bare array), and with `include=activation` each provider's activation status and what it
//! still requires.

use axum::extract::{Extension, Path, Query, State};
use axum::response::Response;
use serde_json::{Value, json};

use super::Ctx;
use super::envelope::{app_not_found, ok};
use crate::sandbox::catalog::{CatalogProvider, PROVIDERS, requirements};
use crate::sandbox::store::{Activation, SbApp};

pub(super) async fn list_providers(
    (State(shared), Extension(rid)): Ctx,
    Path(id): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    // `include` may be repeated or comma-separated; unknown values are ignored.
    let with_activation = query
        .iter()
        .filter(|(name, _)| name == "include")
        .flat_map(|(_, value)| value.split(','))
        .any(|value| value.trim().eq_ignore_ascii_case("activation"));
    let store = shared.store();
    let Some(app) = store.app(&id) else {
        return app_not_found(&rid, &id);
    };
    let records = store.activations.get(&id);
    let list: Vec<Value> = PROVIDERS
        .iter()
        .map(|provider| {
            let record = records.and_then(|r| r.get(provider.id));
            provider_json(app, provider, record, with_activation)
        })
        .collect();
    ok(Value::Array(list))
}

/// One provider for one app: the catalog entry, `isActive` and `needAction`, and with
/// `with_activation` its `status` and `activation`.
pub(crate) fn provider_json(
    app: &SbApp,
    provider: &CatalogProvider,
    record: Option<&Activation>,
    with_activation: bool,
) -> Value {
    let enabled = app
        .providers
        .get(provider.id)
        .is_some_and(|p| p["enabled"] == true);
    // No record: the sandbox activates a provider as soon as it is enabled.
    let derived;
    let activation = match record {
        Some(record) => record,
        None => {
            derived = Activation {
                status: if enabled {
                    "activated"
                } else {
                    "not_activated"
                }
                .to_owned(),
                id: if enabled {
                    format!("act_{}", short_hash(&app.client_id, provider.id))
                } else {
                    String::new()
                },
                submitted: Default::default(),
                requested_at: None,
                activated_at: None,
                rejection_reason: None,
            };
            &derived
        }
    };
    let status = activation.status.as_str();
    let mut out = provider.to_json();
    out["isActive"] = json!(enabled && status == "activated");
    out["needAction"] = json!(matches!(status, "not_activated" | "rejected"));
    if !with_activation {
        return out;
    }
    let requirements: Vec<Value> = requirements(provider.activation)
        .iter()
        .map(|(id, kind, label, description, example)| {
            let submitted = activation.submitted.get(*id).cloned();
            // An activated provider met every requirement, with what was submitted.
            let current = if status == "activated" {
                submitted.clone().unwrap_or_else(|| json!("on file"))
            } else {
                Value::Null
            };
            json!({
                "id": id, "type": kind, "label": label, "description": description,
                "example": example, "required": true,
                "currentValue": current, "submittedValue": submitted,
            })
        })
        .collect();
    let mut details = json!({
        "status": status,
        "id": (!activation.id.is_empty()).then_some(&activation.id),
        "requirements": requirements,
        "requestedAt": activation.requested_at,
        "activatedAt": activation.activated_at,
    });
    if let Some(reason) = &activation.rejection_reason {
        details["rejectionReason"] = json!(reason);
    }
    out["status"] = json!(status);
    out["activation"] = details;
    out
}

/// A short stable id for an activation the sandbox never recorded.
fn short_hash(client_id: &str, provider: &str) -> String {
    let digest = super::idempotency::fingerprint(&[client_id.as_bytes(), provider.as_bytes()]);
    digest[..12].to_owned()
}
