//! The current date and time as text: ISO-8601 for the API's timestamps, a file-name form for
//! files the console creates, and a recorded UTC time in the user's own time zone.

use std::time::{SystemTime, UNIX_EPOCH};

/// Current UTC time as ISO-8601 with milliseconds, like the API's `createdAt`.
pub fn iso_now() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(i64::try_from(days).unwrap_or(0));
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60,
        now.subsec_millis()
    )
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `2026-12-03_091856`: the UTC date and time, for file names that sort by time.
pub fn file_stamp() -> String {
    let iso = iso_now();
    // "2026-12-03T09:18:56.123Z" -> "2026-12-03_091856"
    let (date, time) = iso.split_once('T').unwrap_or((&iso, ""));
    let time: String = time.chars().take(8).filter(|c| *c != ':').collect();
    format!("{date}_{time}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_540), (2026, 3, 28));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn file_stamps_are_plain() {
        let stamp = file_stamp();
        assert_eq!(stamp.len(), 17, "{stamp}");
        assert!(
            stamp
                .chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == '_')
        );
    }
}

/// "2026-12-03T11:39:56.521Z" in the local time zone as "2026-12-03 12:39:56" (the offset in
/// force at that moment, so summer entries keep summer time). `None` if it is not a time.
pub fn local_text(iso: &str) -> Option<String> {
    let utc = chrono::DateTime::parse_from_rfc3339(iso).ok()?;
    Some(
        utc.with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string(),
    )
}

/// The same time in UTC, to the second: "2026-12-03 11:39:56 UTC".
pub fn utc_text(iso: &str) -> Option<String> {
    let utc = chrono::DateTime::parse_from_rfc3339(iso).ok()?;
    Some(
        utc.with_timezone(&chrono::Utc)
            .format("%Y-%m-%d %H:%M:%S UTC")
            .to_string(),
    )
}

#[cfg(test)]
mod local_tests {
    use super::*;

    #[test]
    fn a_recorded_time_reads_in_utc_and_in_the_local_zone() {
        let iso = "2026-12-03T11:39:56.521Z";
        assert_eq!(utc_text(iso).as_deref(), Some("2026-12-03 11:39:56 UTC"));
        let local = chrono::DateTime::parse_from_rfc3339(iso)
            .unwrap()
            .with_timezone(&chrono::Local);
        assert_eq!(
            local_text(iso),
            Some(local.format("%Y-%m-%d %H:%M:%S").to_string())
        );
        assert_eq!(local_text("yesterday"), None);
    }
}
