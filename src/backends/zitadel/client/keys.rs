//! The app-key calls of the management API: list, add (the key file comes in this answer only),
//! and delete. Only private-key-jwt API apps take keys.

use base64::Engine as _;
use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::super::error::Op;
use super::super::wire::{EnumValue, ListResponse, ObjectDetails, nullable};
use super::{MAX_PAGE_LIMIT, Retry, ZitadelClient, decode, encode, path_id};
use crate::api::{ApiError, ErrorKind};
use crate::backends::keys::{AddedKey, AppKey, KeyExpiry, is_never};
use crate::secret::Secret;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AddKeyRequest {
    #[serde(rename = "type")]
    key_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiration_date: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AddKeyResponse {
    #[serde(default, deserialize_with = "nullable")]
    id: String,
    #[serde(default, alias = "key_details", deserialize_with = "nullable")]
    key_details: Option<Secret>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireKey {
    #[serde(default, deserialize_with = "nullable")]
    id: String,
    #[serde(default, deserialize_with = "nullable")]
    details: ObjectDetails,
    #[serde(default, rename = "type", deserialize_with = "nullable")]
    key_type: EnumValue,
    #[serde(default, alias = "expiration_date", deserialize_with = "nullable")]
    expiration_date: Option<String>,
}

impl WireKey {
    fn into_key(self) -> AppKey {
        let key_type = match self.key_type {
            EnumValue::Name(name) if name == "KEY_TYPE_JSON" => "json".to_owned(),
            EnumValue::Number(1) => "json".to_owned(),
            EnumValue::Name(name) => name,
            EnumValue::Number(n) => n.to_string(),
            EnumValue::Missing => "unspecified".to_owned(),
        };
        AppKey {
            id: self.id,
            key_type,
            expires: self
                .expiration_date
                .filter(|d| !d.is_empty() && !is_never(d)),
            created: self.details.creation_date,
        }
    }
}

impl ZitadelClient {
    /// The keys of an app (ids, types, expiry; never the keys).
    pub async fn list_app_keys(
        &self,
        project_id: &str,
        app_id: &str,
    ) -> Result<Vec<AppKey>, ApiError> {
        let project = path_id("project", project_id)?;
        let app = path_id("app", app_id)?;
        let call = self.call(Op::ListKeys, project, app);
        // An app has a handful of keys: one page of the largest size holds them.
        let (page, _): (ListResponse<WireKey>, _) = self
            .search(
                &["projects", project, "apps", app, "keys", "_search"],
                0,
                MAX_PAGE_LIMIT,
                None,
                &call,
            )
            .await?;
        Ok(page.result.into_iter().map(WireKey::into_key).collect())
    }

    /// Adds a key, sent once: a lost answer is never retried into a second key (the caller
    /// lists the keys and reports). The key file is in this answer only.
    pub async fn add_app_key(
        &self,
        project_id: &str,
        app_id: &str,
        expiry: KeyExpiry,
    ) -> Result<AddedKey, ApiError> {
        let project = path_id("project", project_id)?;
        let app = path_id("app", app_id)?;
        let expires = expiry.wire();
        let body = encode(&AddKeyRequest {
            key_type: "KEY_TYPE_JSON",
            expiration_date: expires.clone(),
        })?;
        let call = self.call(Op::AddKey, project, app);
        let raw = self
            .execute(
                Method::POST,
                &["projects", project, "apps", app, "keys"],
                Some(body),
                &call,
                Retry::UnsentOnly,
            )
            .await
            .map_err(|f| f.error)?;
        let response: AddKeyResponse = decode(&raw)?;
        let file = response
            .key_details
            .and_then(|encoded| {
                base64::engine::general_purpose::STANDARD
                    .decode(encoded.expose().trim())
                    .ok()
            })
            .filter(|bytes| !bytes.is_empty())
            .ok_or_else(|| {
                ApiError::worded(ErrorKind::Decode, || {
                    crate::tr!("zitadel-key-file-missing", key = response.id.as_str())
                })
            })?;
        let file = String::from_utf8(file).map_err(|_| {
            ApiError::worded(ErrorKind::Decode, || {
                crate::tr!("zitadel-key-file-not-text", key = response.id.as_str())
            })
        })?;
        Ok(AddedKey {
            id: response.id,
            expires,
            file: Secret::new(file),
        })
    }

    /// Deletes a key: whatever signs with it stops working. A key already gone after a lost
    /// answer counts as deleted.
    pub async fn delete_app_key(
        &self,
        project_id: &str,
        app_id: &str,
        key_id: &str,
    ) -> Result<(), ApiError> {
        let project = path_id("project", project_id)?;
        let app = path_id("app", app_id)?;
        let key = path_id("key", key_id)?;
        let call = self.call(Op::DeleteKey, project, app);
        match self
            .execute(
                Method::DELETE,
                &["projects", project, "apps", app, "keys", key],
                None,
                &call,
                Retry::Safe,
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(f) if f.error.kind == ErrorKind::NotFound && f.after_unknown_outcome => Ok(()),
            Err(f) => Err(f.error),
        }
    }
}
