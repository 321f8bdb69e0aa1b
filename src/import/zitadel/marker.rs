//! Run markers: the name an import creates an app under before it renames the app to the
//! row's name (`billing ·imp-7f3a`). No one else would choose such a name, so an app found
//! under it is this import's, and a lost answer is resolved by it alone, never by the bare name.

use crate::zitadel::MAX_NAME_CHARS;

/// What every marker starts with; a journal key without it is not a marker (an older run's id).
const PREFIX: &str = "imp-";
/// Hex digits after the prefix: 65,536 markers, unique enough beside a row's own name.
const DIGITS: usize = 4;
/// Between the row's name and the marker: a space and a middle dot, which people don't type.
const SEPARATOR: &str = " \u{b7}";

/// A new marker for a run, such as `imp-7f3a`.
pub fn new_marker() -> String {
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("{PREFIX}{}", &random[..DIGITS])
}

/// `key` when it is a marker (as journalled by a run that used markers).
pub fn parse_marker(key: &str) -> Option<&str> {
    let digits = key.strip_prefix(PREFIX)?;
    (digits.len() == DIGITS && digits.chars().all(|c| c.is_ascii_hexdigit())).then_some(key)
}

/// `name` without a marker at its end: the row's name (shortened, if the marker made it so).
pub fn without_marker(name: &str) -> &str {
    match name.rsplit_once(SEPARATOR) {
        Some((base, marker)) if parse_marker(marker).is_some() => base,
        _ => name,
    }
}

/// The name an app is created under: `name ·marker`, the name shortened (by whole characters,
/// trailing spaces dropped) so that the whole fits ZITADEL's 200 characters.
pub fn marker_name(name: &str, marker: &str) -> String {
    let suffix = format!("{SEPARATOR}{marker}");
    let room = MAX_NAME_CHARS.saturating_sub(suffix.chars().count());
    let kept: String = name.trim().chars().take(room).collect();
    format!("{}{suffix}", kept.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_short_and_parse_back() {
        let marker = new_marker();
        assert_eq!(marker.len(), 8, "{marker}");
        assert_eq!(parse_marker(&marker), Some(marker.as_str()));
        assert_ne!(new_marker(), new_marker());
        // Keys of older runs, and Hopae idempotency keys, are not markers.
        for key in [
            "zitadel-0eec5c45",
            "imp-7f3",
            "imp-7f3g",
            "0eec5c45-1f2a",
            "",
        ] {
            assert_eq!(parse_marker(key), None, "{key}");
        }
    }

    #[test]
    fn a_marker_name_fits_in_200_characters() {
        assert_eq!(
            marker_name(" billing ", "imp-7f3a"),
            "billing \u{b7}imp-7f3a"
        );
        assert_eq!(without_marker("billing \u{b7}imp-7f3a"), "billing");
        assert_eq!(without_marker("billing \u{b7}other"), "billing \u{b7}other");
        assert_eq!(without_marker("billing"), "billing");
        let long = "가".repeat(200);
        let named = marker_name(&long, "imp-7f3a");
        assert_eq!(named.chars().count(), MAX_NAME_CHARS);
        assert!(named.starts_with(&"가".repeat(190)));
        assert!(named.ends_with(" \u{b7}imp-7f3a"));
        // A cut that ends in a space does not leave two before the marker.
        let spaced = format!("{} tail", "a".repeat(189));
        assert_eq!(
            marker_name(&spaced, "imp-0000"),
            format!("{} \u{b7}imp-0000", "a".repeat(189))
        );
    }
}
