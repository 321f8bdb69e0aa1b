//! Reading answer bodies into typed values, with errors that name the JSON path of a mismatch
//! but never a value (a value can be a secret).

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::{ApiError, ErrorKind};
use super::models::{App, Page};
use super::transport::RawResponse;

/// Decodes a `GET /apps` body: `{data, total, limit, offset}` with or without `"object":"list"`,
/// or a bare array. Decoded straight from the bytes: this is the hot path of a large list.
pub fn decode_app_page(body: &[u8]) -> Result<Page<App>, ApiError> {
    #[derive(serde::Deserialize)]
    struct Envelope {
        #[serde(alias = "items", default)]
        data: Vec<App>,
        #[serde(default)]
        total: Option<usize>,
        #[serde(default)]
        limit: Option<usize>,
        #[serde(default)]
        offset: Option<usize>,
    }
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        Some(b'[') => Ok(Page {
            items: decode_body(body)?,
            ..Page::default()
        }),
        Some(b'{') => {
            let envelope: Envelope = decode_body(body)?;
            Ok(Page {
                items: envelope.data,
                total: envelope.total,
                limit: envelope.limit,
                offset: envelope.offset,
            })
        }
        _ => {
            // Not a list or an object: let the generic decoder name what it is.
            let value = parse_json(body)?;
            Err(decode_error(|| {
                crate::tr!("hopae-decode-not-a-list", found = kind_of(&value))
            }))
        }
    }
}

/// Decodes any typed body, naming the JSON path of a mismatch but never a value.
pub fn decode_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    // Most answers decode: only a failure pays for tracking the path, by decoding again.
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        match e.inner().classify() {
            serde_json::error::Category::Data => {
                let path = e.path().to_string();
                decode_error(|| crate::tr!("hopae-decode-unexpected-value", field = path.as_str()))
            }
            _ => syntax_error(body, e.inner()),
        }
    })?;
    // Trailing garbage after the value is a broken answer too.
    deserializer.end().map_err(|e| syntax_error(body, &e))?;
    Ok(value)
}

/// A typed body; its error carries the answer's request id.
pub(super) fn decode<T: DeserializeOwned>(raw: &RawResponse) -> Result<T, ApiError> {
    decode_body(&raw.body).map_err(|e| e.with_request_id(raw.request_id.clone()))
}

/// A bare array, or the same wrapped in `{data: [...]}`.
pub(super) fn decode_list<T: DeserializeOwned>(raw: &RawResponse) -> Result<Vec<T>, ApiError> {
    let value = parse_json(&raw.body).map_err(|e| e.with_request_id(raw.request_id.clone()))?;
    let list = match value {
        Value::Object(mut map) if map.contains_key("data") => {
            map.remove("data").unwrap_or_default()
        }
        other => other,
    };
    from_value(list).map_err(|e| e.with_request_id(raw.request_id.clone()))
}

fn parse_json(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body).map_err(|e| syntax_error(body, &e))
}

/// Says what is wrong with a body that is not the JSON expected, without quoting it.
fn syntax_error(body: &[u8], error: &serde_json::Error) -> ApiError {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start();
    decode_error(|| {
        if trimmed.is_empty() {
            crate::tr!("hopae-decode-empty")
        } else if trimmed.starts_with('<') {
            crate::tr!("hopae-decode-web-page")
        } else if error.is_eof() {
            crate::tr!("hopae-decode-cut-off")
        } else {
            crate::tr!(
                "hopae-decode-not-json",
                line = error.line().to_string(),
                column = error.column().to_string()
            )
        }
    })
}

/// What a JSON value is, in words ([`super::models::json_kind`] in the calling thread's
/// language).
fn kind_of(value: &Value) -> String {
    match value {
        Value::Null => crate::tr!("hopae-json-null"),
        Value::Bool(_) => crate::tr!("hopae-json-boolean"),
        Value::Number(_) => crate::tr!("hopae-json-number"),
        Value::String(_) => crate::tr!("hopae-json-string"),
        Value::Array(_) => crate::tr!("hopae-json-list"),
        Value::Object(_) => crate::tr!("hopae-json-object"),
    }
}

fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let data = matches!(e.inner().classify(), serde_json::error::Category::Data);
        decode_error(|| {
            if data {
                crate::tr!("hopae-decode-unexpected-value", field = path.as_str())
            } else {
                crate::tr!("hopae-decode-unreadable-field", field = path.as_str())
            }
        })
    })
}

/// "The server's answer could not be read: …", with `make` saying why.
fn decode_error(make: impl Fn() -> String) -> ApiError {
    ApiError::worded(ErrorKind::Decode, make)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_shapes_decode() {
        let gen1 =
            br#"{"object":"list","data":[{"client_id":"a1"}],"total":1,"limit":20,"offset":0}"#;
        let page = decode_app_page(gen1).unwrap();
        assert_eq!(page.items[0].client_id, "a1");
        assert_eq!(page.total, Some(1));
        let bare = br#"[{"clientId":"b2","name":"B"}]"#;
        assert_eq!(decode_app_page(bare).unwrap().items[0].name, "B");
        let err = decode_app_page(br#"{"data":[{"clientId":5}]}"#).unwrap_err();
        assert!(
            err.message.contains("data[0].clientId") || err.message.contains("[0].clientId"),
            "{}",
            err.message
        );
    }
}
