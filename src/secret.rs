//! The `Secret` type: client secrets and API keys that are zeroized on drop and never printed.
//!
//! A secret is exposed at exactly three points: the `Authorization` header, the one-time display
//! (GUI dialog, CLI output of a create or rotate) and the clipboard hand-off. Everything else sees
//! `***`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serializer};
use zeroize::Zeroize;

/// A remembered secret, wiped when forgotten (at exit).
#[derive(PartialEq, Eq, Hash)]
struct Seen(String);

impl std::borrow::Borrow<str> for Seen {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl Drop for Seen {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// Text that must not leak: zeroized on drop, masked by `Debug` and `Display`.
///
/// It deserializes from a plain JSON string, but deliberately does not implement `Serialize`:
/// a field holding a secret must opt in with `#[serde(serialize_with = "secret::serialize_exposed")]`
/// so that writing one out is always a visible decision.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

/// What `Debug` and `Display` print instead of the value.
pub const MASK: &str = "***";

/// Public prefixes a hint may show; everything else of a key stays hidden.
const HINT_PREFIXES: [&str; 4] = [
    "sk_workspace_test_",
    "sk_workspace_prod_",
    "sk_workspace_",
    "sh_app_",
];

/// The secrets this process has seen (keys, client and webhook secrets), so a server that
/// echoes one in an error text can have it taken out: see `redact::scrub_server_text`.
static SEEN: std::sync::Mutex<Option<std::collections::HashSet<Seen>>> =
    std::sync::Mutex::new(None);
/// The most secrets remembered (an import of many apps sees one each).
const MAX_SEEN: usize = 100_000;
/// Shorter values are not remembered: masking them would mask ordinary words.
const MIN_SEEN_CHARS: usize = 8;

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        let secret = Self(value.into());
        secret.remember();
        secret
    }

    fn remember(&self) {
        if self.0.len() < MIN_SEEN_CHARS {
            return;
        }
        // A set, so an import's thousands of new secrets cost one lookup each.
        if let Ok(mut seen) = SEEN.lock() {
            let seen = seen.get_or_insert_with(Default::default);
            if seen.len() < MAX_SEEN && !seen.contains(self.0.as_str()) {
                seen.insert(Seen(self.0.clone()));
            }
        }
    }

    /// `text` with every secret this process has seen replaced by `***`.
    pub fn mask_seen(text: &str) -> String {
        let mut out = text.to_owned();
        if let Ok(seen) = SEEN.lock() {
            for secret in seen.iter().flatten() {
                if out.contains(secret.0.as_str()) {
                    out = out.replace(secret.0.as_str(), MASK);
                }
            }
        }
        out
    }

    /// The clear text. Call it only where the value must leave the process.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A short hint safe to show, such as `sk_workspace_test_…3f9a`: one of the fixed, public
    /// key prefixes (never any other part of the key) and the last four characters, only when
    /// the rest is long enough to keep most of it hidden.
    pub fn hint(&self) -> String {
        let value = self.0.as_str();
        let prefix = HINT_PREFIXES
            .iter()
            .copied()
            .find(|p| value.starts_with(p))
            .unwrap_or("");
        let rest = &value[prefix.len()..];
        if rest.chars().count() < 16 {
            return format!("{prefix}{MASK}");
        }
        let tail: String = rest
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("{prefix}…{tail}")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// Serializes the clear text: for the one-time outputs (`--json` of a create or rotate, the
/// import's secrets file). Use through `serialize_with`.
pub fn serialize_exposed<S: Serializer>(secret: &Secret, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(secret.expose())
}

/// [`serialize_exposed`] for an optional secret.
pub fn serialize_exposed_opt<S: Serializer>(
    secret: &Option<Secret>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match secret {
        Some(secret) => serializer.serialize_some(secret.expose()),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAKE: &str = "sk_workspace_test_FAKEFAKEFAKEFAKE1234";

    #[test]
    fn debug_and_display_mask_the_value() {
        let secret = Secret::new(FAKE);
        assert_eq!(format!("{secret:?}"), "***");
        assert_eq!(format!("{secret}"), "***");
        assert_eq!(format!("{:?}", Some(secret.clone())), "Some(***)");
        assert_eq!(secret.expose(), FAKE);
    }

    #[test]
    fn hint_keeps_the_prefix_and_four_characters() {
        assert_eq!(Secret::new(FAKE).hint(), "sk_workspace_test_…1234");
        assert_eq!(Secret::new("short").hint(), "***");
        assert_eq!(Secret::new("").hint(), "***");
        // Underscores inside the key reveal nothing more than the fixed prefix.
        let inner = "sk_workspace_test_SECRETPART_MORESECRET_ABCDEFGH1234";
        assert_eq!(Secret::new(inner).hint(), "sk_workspace_test_…1234");
        assert_eq!(
            Secret::new("my_custom_token_0123456789abcdef").hint(),
            "…cdef"
        );
    }

    #[test]
    fn deserializes_from_a_string_and_never_prints() {
        let secret: Secret = serde_json::from_str("\"0123456789abcdef\"").unwrap();
        assert_eq!(secret.expose(), "0123456789abcdef");
        assert!(!format!("{secret:?}").contains("0123"));
    }
}
