//! Wire models of the management API v1 as the grpc-gateway writes them, decoded tolerantly.
//!
//! The gateway omits zero values (so every field is optional with the proto default), writes
//! 64-bit integers as strings (numbers are accepted too), writes enums as names (numbers are
//! accepted too), and may add fields this client does not know (ignored). Snake_case spellings
//! are accepted as aliases. Requests are written in lowerCamelCase.

use serde::{Deserialize, Deserializer, Serialize};

use super::model::{AppKind, AppState, AuthMethod, ProjectState, ZitadelApp, ZitadelProject};
use crate::secret::Secret;

/// `ListDetails` of a list answer.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListDetails {
    /// Missing on an empty page (it is counted per returned row).
    #[serde(default, alias = "total_result", deserialize_with = "int64")]
    pub total_result: Option<u64>,
}

/// `{details, result}` of `ListApps` and `ListProjects`.
#[derive(Debug, Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
pub struct ListResponse<T> {
    #[serde(default, deserialize_with = "nullable")]
    pub details: ListDetails,
    #[serde(default = "Vec::new", deserialize_with = "nullable")]
    pub result: Vec<T>,
}

/// `ObjectDetails` of a single object.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectDetails {
    #[serde(default, alias = "creation_date", deserialize_with = "nullable")]
    pub creation_date: Option<String>,
    #[serde(default, alias = "change_date", deserialize_with = "nullable")]
    pub change_date: Option<String>,
}

/// An `App`: exactly one of `apiConfig`, `oidcConfig` and `samlConfig` is set.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireApp {
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    #[serde(default, deserialize_with = "nullable")]
    pub details: ObjectDetails,
    #[serde(default, deserialize_with = "nullable")]
    pub state: EnumValue,
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, alias = "api_config", deserialize_with = "nullable")]
    pub api_config: Option<ClientConfig>,
    #[serde(default, alias = "oidc_config", deserialize_with = "nullable")]
    pub oidc_config: Option<ClientConfig>,
    #[serde(default, alias = "saml_config", deserialize_with = "nullable")]
    pub saml_config: Option<serde_json::Value>,
}

/// The part of `apiConfig` / `oidcConfig` this client reads.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientConfig {
    #[serde(default, alias = "client_id", deserialize_with = "nullable")]
    pub client_id: String,
    #[serde(default, alias = "auth_method_type", deserialize_with = "nullable")]
    pub auth_method_type: EnumValue,
}

impl WireApp {
    pub fn into_app(self) -> ZitadelApp {
        let (kind, client_id, auth_method) = if let Some(api) = self.api_config {
            let method = match &api.auth_method_type {
                EnumValue::Missing => Some(AuthMethod::Basic),
                value if value.is("API_AUTH_METHOD_TYPE_BASIC", 0) => Some(AuthMethod::Basic),
                value if value.is("API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT", 1) => {
                    Some(AuthMethod::PrivateKeyJwt)
                }
                _ => None,
            };
            (AppKind::Api, api.client_id, method)
        } else if let Some(oidc) = self.oidc_config {
            (AppKind::Oidc, oidc.client_id, None)
        } else if self.saml_config.is_some() {
            (AppKind::Saml, String::new(), None)
        } else {
            (AppKind::Unknown, String::new(), None)
        };
        // UNSPECIFIED (omitted) is never stored by the server; removed apps are not listed.
        let state = if self.state.is("APP_STATE_INACTIVE", 2) {
            AppState::Inactive
        } else {
            AppState::Active
        };
        ZitadelApp {
            app_id: self.id,
            client_id,
            name: self.name,
            state,
            kind,
            auth_method,
            created: self.details.creation_date,
            changed: self.details.change_date,
        }
    }
}

/// A `Project`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireProject {
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub state: EnumValue,
}

impl WireProject {
    pub fn into_project(self) -> ZitadelProject {
        ZitadelProject {
            id: self.id,
            name: self.name,
            state: if self.state.is("PROJECT_STATE_INACTIVE", 2) {
                ProjectState::Inactive
            } else {
                ProjectState::Active
            },
        }
    }
}

/// `GetAppByIDResponse`.
#[derive(Debug, Deserialize)]
pub struct GetAppResponse {
    pub app: WireApp,
}

/// `AddAPIAppResponse`: a secret only for BASIC.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddApiAppResponse {
    #[serde(alias = "app_id")]
    pub app_id: String,
    #[serde(default, alias = "client_id", deserialize_with = "nullable")]
    pub client_id: String,
    #[serde(default, alias = "client_secret", deserialize_with = "nullable")]
    pub client_secret: Option<Secret>,
}

/// `RegenerateAPIClientSecretResponse`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegenerateSecretResponse {
    #[serde(default, alias = "client_secret", deserialize_with = "nullable")]
    pub client_secret: Option<Secret>,
}

/// `ListQuery` plus optional name queries, for `ListApps` and `ListProjects`.
#[derive(Debug, Serialize)]
pub struct ListRequest {
    pub query: ListQuery,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub queries: Vec<SearchQuery>,
}

#[derive(Debug, Serialize)]
pub struct ListQuery {
    /// uint64: a string on the wire.
    pub offset: String,
    pub limit: u32,
    pub asc: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchQuery {
    pub name_query: NameQuery,
}

#[derive(Debug, Clone, Serialize)]
pub struct NameQuery {
    pub name: String,
    pub method: &'static str,
}

/// `AddAPIAppRequest`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AddApiAppRequest<'a> {
    pub name: &'a str,
    pub auth_method_type: &'static str,
}

/// `UpdateAppRequest`.
#[derive(Debug, Serialize)]
pub struct UpdateAppRequest<'a> {
    pub name: &'a str,
}

/// A proto enum as a name or a number; `Missing` is the omitted zero value.
#[derive(Debug, Default, Clone, PartialEq)]
pub enum EnumValue {
    #[default]
    Missing,
    Name(String),
    Number(i64),
}

impl EnumValue {
    /// Whether this is the value with this name or number.
    pub fn is(&self, name: &str, number: i64) -> bool {
        match self {
            Self::Missing => number == 0,
            Self::Name(n) => n == name,
            Self::Number(n) => *n == number,
        }
    }
}

impl<'de> Deserialize<'de> for EnumValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Null => Ok(Self::Missing),
            serde_json::Value::String(s) => Ok(Self::Name(s)),
            serde_json::Value::Number(n) => n
                .as_i64()
                .map(Self::Number)
                .ok_or_else(|| D::Error::custom("an enum number out of range")),
            _ => Err(D::Error::custom("an enum name or number")),
        }
    }
}

/// A 64-bit integer written as a string (`"42"`) or as a number (`42`); `null` is absent.
pub fn int64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    use serde::de::Error as _;
    match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Number(n) => n
            .as_u64()
            .map(Some)
            .ok_or_else(|| D::Error::custom("a whole number that is not negative")),
        serde_json::Value::String(s) => s
            .trim()
            .parse::<u64>()
            .map(Some)
            .map_err(|_| D::Error::custom("a whole number written as text")),
        _ => Err(D::Error::custom("a whole number")),
    }
}

/// `null` reads as the field's default, like an omitted field.
pub(crate) fn nullable<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(json: &str) -> ZitadelApp {
        serde_json::from_str::<WireApp>(json).unwrap().into_app()
    }

    #[test]
    fn omitted_zero_values_take_their_defaults() {
        let a = app(r#"{"id":"1","name":"billing","apiConfig":{"clientId":"2"}}"#);
        assert_eq!(a.kind, AppKind::Api);
        assert_eq!(a.auth_method, Some(AuthMethod::Basic));
        assert_eq!(a.state, AppState::Active);
        let a = app(r#"{"id":"1","apiConfig":{}}"#);
        assert_eq!((a.name.as_str(), a.client_id.as_str()), ("", ""));
        let list: ListResponse<WireApp> = serde_json::from_str(r#"{"details":{}}"#).unwrap();
        assert!(list.result.is_empty());
        assert_eq!(list.details.total_result, None);
        let list: ListResponse<WireApp> = serde_json::from_str("{}").unwrap();
        assert!(list.result.is_empty());
        let list: ListResponse<WireApp> = serde_json::from_str(r#"{"result":null}"#).unwrap();
        assert!(list.result.is_empty());
    }

    #[test]
    fn int64_is_read_from_a_string_or_a_number() {
        for body in [
            r#"{"details":{"totalResult":"42"}}"#,
            r#"{"details":{"totalResult":42}}"#,
            r#"{"details":{"total_result":"42"}}"#,
        ] {
            let list: ListResponse<WireApp> = serde_json::from_str(body).unwrap();
            assert_eq!(list.details.total_result, Some(42), "{body}");
        }
        assert!(
            serde_json::from_str::<ListResponse<WireApp>>(r#"{"details":{"totalResult":"x"}}"#)
                .is_err()
        );
        assert!(
            serde_json::from_str::<ListResponse<WireApp>>(r#"{"details":{"totalResult":-1}}"#)
                .is_err()
        );
    }

    #[test]
    fn enums_by_name_or_number_and_unknown_fields() {
        let a = app(
            r#"{"id":"1","state":"APP_STATE_INACTIVE","name":"n","future":{"x":1},
                "apiConfig":{"clientId":"c","authMethodType":"API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT","more":true},
                "details":{"sequence":"57","creationDate":"2025-08-28T09:14:02.123Z"}}"#,
        );
        assert_eq!(a.state, AppState::Inactive);
        assert_eq!(a.auth_method, Some(AuthMethod::PrivateKeyJwt));
        assert_eq!(a.created.as_deref(), Some("2025-08-28T09:14:02.123Z"));
        let a = app(r#"{"id":"1","state":2,"api_config":{"client_id":"c","auth_method_type":1}}"#);
        assert_eq!(a.state, AppState::Inactive);
        assert_eq!(a.client_id, "c");
        assert_eq!(a.auth_method, Some(AuthMethod::PrivateKeyJwt));
        let a = app(r#"{"id":"1","apiConfig":{"authMethodType":"SOMETHING_NEW"}}"#);
        assert_eq!(a.auth_method, None);
        let a = app(
            r#"{"id":"1","oidcConfig":{"clientId":"o@p","authMethodType":"OIDC_AUTH_METHOD_TYPE_NONE"}}"#,
        );
        assert_eq!((a.kind, a.auth_method), (AppKind::Oidc, None));
        assert_eq!(a.client_id, "o@p");
        let a = app(r#"{"id":"1","samlConfig":{"metadataUrl":"x"}}"#);
        assert_eq!(a.kind, AppKind::Saml);
    }

    #[test]
    fn created_app_secret_is_optional_and_masked() {
        let r: AddApiAppResponse = serde_json::from_str(
            r#"{"appId":"1","clientId":"2","clientSecret":"FAKE-secret-value","details":{"sequence":"2"}}"#,
        )
        .unwrap();
        assert_eq!(
            r.client_secret.as_ref().map(Secret::expose),
            Some("FAKE-secret-value")
        );
        assert!(!format!("{r:?}").contains("FAKE-secret"));
        let r: AddApiAppResponse = serde_json::from_str(r#"{"appId":"1","clientId":"2"}"#).unwrap();
        assert!(r.client_secret.is_none());
    }

    #[test]
    fn list_request_writes_offset_as_a_string() {
        let body = serde_json::to_value(ListRequest {
            query: ListQuery {
                offset: "1000".into(),
                limit: 1000,
                asc: true,
            },
            queries: vec![SearchQuery {
                name_query: NameQuery {
                    name: "billing".into(),
                    method: "TEXT_QUERY_METHOD_EQUALS",
                },
            }],
        })
        .unwrap();
        assert_eq!(
            body,
            serde_json::json!({"query":{"offset":"1000","limit":1000,"asc":true},
                "queries":[{"nameQuery":{"name":"billing","method":"TEXT_QUERY_METHOD_EQUALS"}}]})
        );
    }
}
