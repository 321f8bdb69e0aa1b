//! Keeps secrets out of the log: anything shaped like a key or a secret becomes `***`.

/// Longest text kept in one field; a longer one is cut with "…".
const MAX_FIELD_CHARS: usize = 500;
/// Prefixes of credentials this console handles; a word starting with one is masked.
const SECRET_PREFIXES: [&str; 5] = ["sk_workspace_", "whsec_", "sh_app_", "FAKE_PAT_", "Bearer "];
/// A run of this many hex digits or more is a secret (client secrets are 64), never an id.
const MIN_HEX_SECRET: usize = 32;

/// `text` with anything shaped like a key or a secret replaced by `***`, control characters
/// removed, and cut to [`MAX_FIELD_CHARS`].
pub fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_FIELD_CHARS + 8));
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(prefix) = SECRET_PREFIXES.iter().find(|p| rest.starts_with(*p)) {
            out.push_str("***");
            let after = &rest[prefix.len()..];
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'))
                .unwrap_or(after.len());
            rest = &after[end..];
            continue;
        }
        let hex_run = rest
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(rest.len());
        let at_word_start = out
            .chars()
            .last()
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        if hex_run >= MIN_HEX_SECRET && at_word_start {
            out.push_str("***");
            rest = &rest[hex_run..];
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        out.push(if c.is_control() { ' ' } else { c });
        rest = &rest[c.len_utf8()..];
    }
    if out.chars().count() > MAX_FIELD_CHARS {
        out = out.chars().take(MAX_FIELD_CHARS).collect();
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn secrets_are_scrubbed_from_every_text() {
        let secret = "0123456789abcdef".repeat(4);
        let text = format!(
            "key sk_workspace_test_FAKE123 and whsec_abc.def, {secret}; id 0eec5c45-1f2a-4b3c-9d8e-7f6a5b4c3d2e"
        );
        let clean = scrub(&text);
        assert!(
            !clean.contains("FAKE123") && !clean.contains("whsec_abc"),
            "{clean}"
        );
        assert!(!clean.contains(&secret), "{clean}");
        assert!(
            clean.contains("0eec5c45-1f2a-4b3c-9d8e-7f6a5b4c3d2e"),
            "ids stay: {clean}"
        );
        assert_eq!(scrub("line\nbreak"), "line break");
        assert_eq!(
            scrub(&"가".repeat(600)).chars().count(),
            MAX_FIELD_CHARS + 1
        );
    }
}
