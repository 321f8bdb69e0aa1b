//! Masks values that look like credentials (a provider's `clientSecret`, `password`,
//! `privateKey`, `apiKey` and the like) wherever they sit in an app's JSON, before it is shown
//! in the raw JSON view or printed with `--json`; and takes credentials out of the text of a
//! server's error before it is shown or logged.

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

/// Shorter runs of key-like characters are kept (ids, words); longer ones are masked.
const MIN_SECRET_RUN: usize = 32;
/// Words that introduce a credential in an `Authorization`-style value.
const AUTH_SCHEMES: [&str; 3] = ["bearer", "basic", "token"];

/// A server's error text made safe to show and log: every secret this process has seen, the
/// value after `Bearer`/`Basic`/`Token` (any case), the value of a secret-named `name=value`,
/// `name: value` or JSON `"name": "value"` pair, and any run of 32 or more base64 or
/// alphanumeric characters become `***`. A gateway that echoes the request in its error then
/// shows nothing of the key, token or secret it carried.
pub fn scrub_server_text(text: &str) -> String {
    let text = crate::secret::Secret::mask_seen(text);
    let tokens = split_keeping_separators(&text);
    let mut out = String::with_capacity(text.len());
    let mut mask_next = false;
    for token in tokens {
        let is_word = token.chars().any(is_key_char);
        if !is_word {
            out.push_str(token);
            continue;
        }
        if mask_next {
            out.push_str(MASKED);
            mask_next = false;
            continue;
        }
        let (name, value) = split_pair(token);
        if let Some(value) = value
            && is_secret_field(name.trim_matches('"'))
            && !value.is_empty()
        {
            out.push_str(&token[..token.len() - value.len()]);
            out.push_str(MASKED);
            continue;
        }
        let bare = token.trim_matches(|c: char| !is_key_char(c));
        let lower = bare.to_ascii_lowercase();
        if AUTH_SCHEMES.contains(&lower.as_str()) || is_secret_field(bare) && token.ends_with(':') {
            mask_next = true;
            out.push_str(token);
            continue;
        }
        if longest_run(token) >= MIN_SECRET_RUN {
            out.push_str(MASKED);
            continue;
        }
        out.push_str(token);
    }
    out
}

/// Characters of keys, tokens and base64.
fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '-' | '.')
}

/// The text cut at spaces, commas, quotes' edges and braces, the separators kept as their own
/// pieces so the text can be put back together.
fn split_keeping_separators(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() || matches!(c, ',' | ';' | '{' | '}' | '&' | '(' | ')' | '[' | ']') {
            if start < i {
                pieces.push(&text[start..i]);
            }
            pieces.push(&text[i..i + c.len_utf8()]);
            start = i + c.len_utf8();
        }
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    pieces
}

/// `name=value` or `"name":"value"` as (name, value); a token without either is all name.
fn split_pair(token: &str) -> (&str, Option<&str>) {
    match token.find(['=', ':']) {
        Some(at) if at > 0 => {
            let value = token[at + 1..].trim_matches('"');
            let value_start = token.len() - token[at + 1..].trim_start_matches('"').len();
            let value_end = value_start + value.len();
            (&token[..at], Some(&token[value_start..value_end]))
        }
        _ => (token, None),
    }
}

/// The longest run of key characters in `token` (a `.` or `-` ends nothing: base64url and
/// JWTs hold them).
fn longest_run(token: &str) -> usize {
    token
        .split(|c: char| !is_key_char(c))
        .map(str::len)
        .max()
        .unwrap_or(0)
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

    #[test]
    fn server_texts_lose_every_credential_they_echo() {
        let seen = crate::secret::Secret::new("FAKE_PAT_seen_by_this_process");
        let text = format!(
            "upstream said: Authorization: Bearer eyJfake.payload.sig; basic Zm9vOmJhcg== \
             token=abc123 {{\"client_secret\": \"s3cr3t-value\", \"name\": \"Billing\"}} \
             api_key: short1 echo {} and {} for app 3f2a-11",
            seen.expose(),
            "A".repeat(40)
        );
        let clean = scrub_server_text(&text);
        for leaked in [
            "eyJfake",
            "Zm9vOmJhcg",
            "abc123",
            "s3cr3t-value",
            "short1",
            "FAKE_PAT_seen",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ] {
            assert!(!clean.contains(leaked), "{leaked} in {clean}");
        }
        // Words, names and short ids stay readable.
        for kept in ["upstream said", "Billing", "for app 3f2a-11"] {
            assert!(clean.contains(kept), "{kept} missing from {clean}");
        }
    }
}
