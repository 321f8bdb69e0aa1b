//! App keys, for apps that sign in with a private key JWT: what a key is, what a new one
//! expires at, and the key file the server hands over once.
//!
//! One default everywhere (command line, console, import): a new key expires a year from now.
//! `never` asks for no expiry. A date is `YYYY-MM-DD` (the end of that day, UTC) or RFC 3339.

use std::fmt;

use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time};

use crate::secret::Secret;

/// One key of an app, as listed (the key itself is never listed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppKey {
    pub id: String,
    /// `json`: a key file. Other types are shown as the server names them.
    #[serde(rename = "type")]
    pub key_type: String,
    /// RFC 3339; `None` when it never expires.
    pub expires: Option<String>,
    pub created: Option<String>,
}

impl AppKey {
    /// Whether the key expired before `now`.
    pub fn expired_at(&self, now: OffsetDateTime) -> bool {
        self.expires
            .as_deref()
            .and_then(|text| OffsetDateTime::parse(text, &Rfc3339).ok())
            .is_some_and(|at| at <= now)
    }
}

/// A key just added: its id, its expiry and the key file, which the server shows this once.
pub struct AddedKey {
    pub id: String,
    pub expires: Option<String>,
    /// The key file's bytes (JSON with the private key): written to a file, never shown.
    pub file: Secret,
}

impl fmt::Debug for AddedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AddedKey")
            .field("id", &self.id)
            .field("expires", &self.expires)
            .field("file", &"***")
            .finish()
    }
}

/// When a new key stops working.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyExpiry {
    Never,
    At(OffsetDateTime),
}

/// ZITADEL's own "no expiry": a key without a date is given this one.
const NEVER: &str = "9999-12-31T23:59:59Z";

impl KeyExpiry {
    /// The default: a year after `now`.
    pub fn default_from(now: OffsetDateTime) -> Self {
        KeyExpiry::At(now + Duration::days(365))
    }

    /// Reads `never`, `YYYY-MM-DD` (the end of that day, UTC) or RFC 3339, and refuses a
    /// moment that is not after `now`, with a sentence.
    pub fn parse(text: &str, now: OffsetDateTime) -> Result<Self, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("never") {
            return Ok(KeyExpiry::Never);
        }
        let at = parse_day(text)
            .or_else(|| OffsetDateTime::parse(text, &Rfc3339).ok())
            .ok_or_else(|| {
                crate::tr!(
                    "backend-key-expiry-not-a-date",
                    text = text.chars().take(40).collect::<String>()
                )
            })?;
        if at <= now {
            return Err(crate::tr!(
                "backend-key-expiry-past",
                at = format_rfc3339(at)
            ));
        }
        Ok(KeyExpiry::At(at))
    }

    /// The date sent to the server; `None` for no expiry (the server's default).
    pub fn wire(self) -> Option<String> {
        match self {
            KeyExpiry::Never => None,
            KeyExpiry::At(at) => Some(format_rfc3339(at)),
        }
    }

    /// The expiry as people read it: `2027-12-06 23:59 UTC` or `never` (in the calling
    /// thread's language).
    pub fn describe(self) -> String {
        match self {
            KeyExpiry::Never => crate::tr!("backend-key-never"),
            KeyExpiry::At(at) => describe_rfc3339(&format_rfc3339(at)),
        }
    }
}

/// `YYYY-MM-DD` as the end of that day in UTC.
fn parse_day(text: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let day = Date::parse(text, &format).ok()?;
    let end = Time::from_hms(23, 59, 59).ok()?;
    Some(PrimitiveDateTime::new(day, end).assume_utc())
}

fn format_rfc3339(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(at)
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// An expiry as a server wrote it, as people read it: `2027-12-06 23:59 UTC`; the far-future
/// date that means "no expiry" as `never` (in the calling thread's language); text that is not
/// a date as it is.
pub fn describe_rfc3339(text: &str) -> String {
    let Ok(at) = OffsetDateTime::parse(text, &Rfc3339) else {
        return text.to_owned();
    };
    if text.starts_with("9999-") {
        return crate::tr!("backend-key-never");
    }
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute()
    )
}

/// Whether a server's expiry text is its "no expiry".
pub fn is_never(text: &str) -> bool {
    text.starts_with("9999-") || text == NEVER
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> OffsetDateTime {
        OffsetDateTime::parse("2026-12-06T12:00:00Z", &Rfc3339).unwrap()
    }

    #[test]
    fn dates_days_never_and_the_past() {
        assert_eq!(KeyExpiry::parse(" never ", now()), Ok(KeyExpiry::Never));
        assert_eq!(
            KeyExpiry::parse("2027-01-31", now())
                .unwrap()
                .wire()
                .as_deref(),
            Some("2027-01-31T23:59:59Z")
        );
        assert_eq!(
            KeyExpiry::parse("2027-01-31T18:00:00+09:00", now())
                .unwrap()
                .wire()
                .as_deref(),
            Some("2027-01-31T09:00:00Z")
        );
        // Today's end is still ahead; yesterday is past.
        assert!(KeyExpiry::parse("2026-12-06", now()).is_ok());
        let past = KeyExpiry::parse("2026-12-05", now()).unwrap_err();
        assert!(past.contains("in the past"), "{past}");
        let bad = KeyExpiry::parse("next year", now()).unwrap_err();
        assert!(bad.contains("not a date"), "{bad}");
        assert_eq!(KeyExpiry::Never.wire(), None);
    }

    #[test]
    fn the_default_is_a_year_and_reads_plainly() {
        let default = KeyExpiry::default_from(now());
        assert_eq!(default.wire().as_deref(), Some("2027-12-06T12:00:00Z"));
        assert_eq!(default.describe(), "2027-12-06 12:00 UTC");
        assert_eq!(describe_rfc3339("9999-12-31T23:59:59Z"), "never");
        assert!(is_never(NEVER));
    }

    #[test]
    fn expired_keys_are_marked() {
        let key = |expires: Option<&str>| AppKey {
            id: "1".into(),
            key_type: "json".into(),
            expires: expires.map(str::to_owned),
            created: None,
        };
        assert!(key(Some("2026-12-01T00:00:00Z")).expired_at(now()));
        assert!(!key(Some("2027-12-01T00:00:00Z")).expired_at(now()));
        assert!(!key(None).expired_at(now()));
    }
}
