//! Masks values that look like credentials (a provider's `clientSecret`, `password`,
//! `privateKey`, `apiKey` and the like) wherever they sit in an app's JSON, before it is shown
//! in the raw JSON view or printed with `--json`.

use serde_json::Value;

/// What a masked value becomes.
pub const MASKED: &str = "***";

/// Parts of a field name that mark its value as secret (compared without case, `_` or `-`).
const SECRET_WORDS: [&str; 7] = [
    "secret",
    "token",
    "password",
    "passwd",
    "passphrase",
    "credential",
    "private",
];

/// Endings of a field name that mark its value as secret (`apiKey`, `signingKey`, ZITADEL's
/// `keyDetails`).
const SECRET_ENDINGS: [&str; 2] = ["key", "keydetails"];

/// Whether a field of this name holds a secret: the one rule for everything shown, printed or
/// exported. Its name, without case, `_` or `-`, contains `secret`, `token`, `password`,
/// `passwd`, `passphrase`, `credential` or `private`, or ends in `key` or `keyDetails`.
pub fn is_secret_field(name: &str) -> bool {
    let normalized: String = name
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_WORDS.iter().any(|word| normalized.contains(word))
        || SECRET_ENDINGS.iter().any(|end| normalized.ends_with(end))
}

/// Replaces, in place, every non-empty value under a secret-looking field name with `***`.
pub fn mask_secrets(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                let filled =
                    !matches!(inner, Value::Null) && inner.as_str().is_none_or(|s| !s.is_empty());
                if is_secret_field(key) && filled {
                    *inner = Value::String(MASKED.to_owned());
                } else {
                    mask_secrets(inner);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_secrets),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn provider_credentials_are_masked_wherever_they_are() {
        let mut app = json!({
            "clientId": "A1",
            "providers": {
                "mitid": {"enabled": true, "config": {"clientId": "m", "clientSecret": "FAKE"}},
                "smartid": {"config": {"rpUUID": "u", "private_key": "FAKE", "api-key": "FAKE"}},
                "x": {"config": [{"password": "FAKE"}, {"passwordHint": ""}]}
            }
        });
        mask_secrets(&mut app);
        let text = app.to_string();
        assert!(!text.contains("FAKE"), "{text}");
        assert_eq!(app["providers"]["mitid"]["config"]["clientId"], "m");
        assert_eq!(app["providers"]["smartid"]["config"]["rpUUID"], "u");
        assert_eq!(app["clientId"], "A1");
    }

    #[test]
    fn names_the_docs_never_give_are_masked_too() {
        for name in [
            "webhookSecret",
            "signingSecret",
            "token",
            "apiToken",
            "signingKey",
            "api_key",
            "keyDetails",
            "privateKeyPem",
            "PASSWORD",
            "client-credentials",
        ] {
            assert!(is_secret_field(name), "{name}");
        }
        for name in [
            "clientId",
            "keyId",
            "name",
            "redirectUris",
            "keyType",
            "expirationDate",
        ] {
            assert!(!is_secret_field(name), "{name}");
        }
    }
}
