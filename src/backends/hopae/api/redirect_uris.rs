//! The documented redirect-URI rules, checked locally before a PUT or PATCH and as the user types.
//!
//! https only (plain http only for localhost), a host, no `#fragment`, at most 2048 characters
//! each, at most 20 in all; duplicates are removed and hosts lower-cased, keeping the order
//! (the first URI is the fallback).

use url::Url;

/// Longest accepted URI, in characters.
pub const MAX_URI_CHARS: usize = 2048;
/// Most URIs an app may have.
pub const MAX_URIS: usize = 20;

/// What is wrong with one URI, as a sentence with the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UriProblem {
    /// Position in the input list (0-based).
    pub index: usize,
    pub uri: String,
    pub problem: String,
}

/// Checks and normalises one URI.
pub fn normalize_uri(raw: &str) -> Result<String, String> {
    let uri = raw.trim();
    if uri.is_empty() {
        return Err(crate::tr!("hopae-uri-empty"));
    }
    if uri.chars().count() > MAX_URI_CHARS {
        return Err(crate::tr!(
            "hopae-uri-too-long",
            max = MAX_URI_CHARS.to_string()
        ));
    }
    if uri.contains('#') {
        return Err(crate::tr!("hopae-uri-fragment"));
    }
    if is_already_normal(uri) {
        return Ok(uri.to_owned());
    }
    let url = Url::parse(uri).map_err(|_| crate::tr!("hopae-uri-not-full"))?;
    let Some(host) = url.host_str() else {
        return Err(crate::tr!("hopae-uri-no-host"));
    };
    match url.scheme() {
        "https" => {}
        "http" if host.eq_ignore_ascii_case("localhost") => {}
        "http" => return Err(crate::tr!("hopae-uri-plain-http")),
        // A scheme is named only while short: a cell of noise is not read back whole.
        other if other.len() <= 20 => {
            return Err(crate::tr!("hopae-uri-scheme", scheme = other));
        }
        _ => return Err(crate::tr!("hopae-uri-start-https")),
    }
    // `Url` lower-cases the host and keeps the rest as written.
    Ok(url.to_string())
}

/// True for the common shape the URL parser would give back unchanged: `https://` (or
/// `http://localhost`), a lower-case host of letters, digits, dots and dashes whose last label
/// is not a number, an optional non-default port, and a path (and query) of plain characters
/// with no dot segments. Anything else goes through the full parser. Checking a spreadsheet of
/// 100,000 rows spends most of its time parsing addresses like these.
fn is_already_normal(uri: &str) -> bool {
    let (rest, http) = if let Some(rest) = uri.strip_prefix("https://") {
        (rest, false)
    } else if let Some(rest) = uri.strip_prefix("http://localhost") {
        (rest, true)
    } else {
        return false;
    };
    let (authority, path) = match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => return false, // the parser would add the "/"
    };
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    if http {
        if !host.is_empty() {
            return false;
        }
    } else if !is_plain_host(host) {
        return false;
    }
    if let Some(port) = port {
        let default = if http { "80" } else { "443" };
        if port.is_empty()
            || port.len() > 5
            || port.starts_with('0')
            || port == default
            || !port.bytes().all(|b| b.is_ascii_digit())
            || port.parse::<u32>().map_or(true, |p| p > 65535)
        {
            return false;
        }
    }
    let plain = |b: u8| b.is_ascii_alphanumeric() || b"-._~/".contains(&b);
    let (path, query) = match path.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path, None),
    };
    path.bytes().all(plain)
        && !path
            .split('/')
            .any(|segment| segment == "." || segment == "..")
        && query.is_none_or(|q| q.bytes().all(|b| plain(b) || b"=&".contains(&b)))
}

/// Lower-case DNS labels of letters, digits and inner dashes, the last one not all digits (the
/// parser reads such hosts as IPv4 addresses and rewrites them).
fn is_plain_host(host: &str) -> bool {
    let mut labels = host.split('.').peekable();
    let mut count = 0;
    while let Some(label) = labels.next() {
        count += 1;
        let bytes = label.as_bytes();
        let ok = !bytes.is_empty()
            && bytes
                .iter()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
            && !label.starts_with("xn--");
        if !ok {
            return false;
        }
        if labels.peek().is_none()
            && (bytes.iter().all(u8::is_ascii_digit) || label.starts_with("0x"))
        {
            return false;
        }
    }
    count >= 1
}

/// Checks a whole list: every problem found, or the normalised, de-duplicated list.
pub fn validate_redirect_uris<S: AsRef<str>>(uris: &[S]) -> Result<Vec<String>, Vec<UriProblem>> {
    let mut problems = Vec::new();
    let mut out: Vec<String> = Vec::new();
    for (index, raw) in uris.iter().enumerate() {
        match normalize_uri(raw.as_ref()) {
            Ok(uri) => {
                if !out.contains(&uri) {
                    out.push(uri);
                }
            }
            Err(problem) => problems.push(UriProblem {
                index,
                uri: raw.as_ref().to_owned(),
                problem,
            }),
        }
    }
    if problems.is_empty() && out.len() > MAX_URIS {
        problems.push(UriProblem {
            index: MAX_URIS,
            uri: out[MAX_URIS].clone(),
            problem: crate::tr!(
                "hopae-uri-too-many",
                max = MAX_URIS,
                extra = out.len().saturating_sub(MAX_URIS)
            ),
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The parser's own answer, without the shortcut.
    fn slow(uri: &str) -> Option<String> {
        let url = Url::parse(uri).ok()?;
        Some(url.to_string())
    }

    proptest! {
        #[test]
        fn the_shortcut_only_takes_addresses_the_parser_leaves_unchanged(
            uri in "(https://|http://localhost|http://|HTTPS://)([a-z0-9.\\-]{0,12}|[a-zA-Z0-9.\\-]{0,12})(:[0-9]{0,6})?(/[a-zA-Z0-9._~%\\- ]{0,8}){0,3}(\\?[a-z=&.]{0,6})?"
        ) {
            if is_already_normal(&uri) {
                prop_assert_eq!(slow(&uri), Some(uri.clone()));
            }
        }
    }

    #[test]
    fn the_shortcut_sends_odd_hosts_and_paths_to_the_parser() {
        for uri in [
            "https://a.example.com",
            "https://A.example.com/cb",
            "https://a.example.com:443/cb",
            "https://1.2.3/cb",
            "https://a.0x1/cb",
            "https://a..b/cb",
            "https://a.example.com/x/../cb",
            "https://a.example.com/%41",
            "https://xn--bcher-kva.example/cb",
        ] {
            assert!(!is_already_normal(uri), "{uri}");
        }
        for uri in [
            "https://a.example.com/cb",
            "https://c12.example.com/cb?x=1&y=2",
            "http://localhost:3000/callback",
            "https://a-b.example.com:8443/a/b_c~d",
        ] {
            assert!(is_already_normal(uri), "{uri}");
            assert_eq!(slow(uri).as_deref(), Some(uri));
        }
    }

    #[test]
    fn an_odd_scheme_is_named_only_while_short() {
        assert_eq!(
            normalize_uri("ftp://a.example.com/cb").unwrap_err(),
            "Use https://, not ftp://"
        );
        let long = format!("{}://a.example.com/cb", "x".repeat(700));
        assert_eq!(
            normalize_uri(&long).unwrap_err(),
            "Start the address with https://"
        );
    }

    #[test]
    fn normalises_and_dedupes_in_order() {
        let out = validate_redirect_uris(&[
            "https://B.example.com/cb",
            "http://localhost:3000/cb",
            "https://b.example.com/cb",
        ])
        .unwrap();
        assert_eq!(
            out,
            vec!["https://b.example.com/cb", "http://localhost:3000/cb"]
        );
    }

    #[test]
    fn each_rule_is_enforced() {
        let long = format!("https://a.example.com/{}", "x".repeat(MAX_URI_CHARS));
        let problems = validate_redirect_uris(&[
            "http://a.example.com/cb",
            "https://a.example.com/cb#frag",
            "a.example.com/cb",
            long.as_str(),
            "",
            "mailto:a@example.com",
        ])
        .unwrap_err();
        assert_eq!(problems.len(), 6);
        assert!(problems[0].problem.contains("https"));
        assert!(problems[1].problem.contains("fragment"));
        let many: Vec<String> = (0..21)
            .map(|i| format!("https://a{i}.example.com/"))
            .collect();
        assert!(validate_redirect_uris(&many).is_err());
        assert!(validate_redirect_uris(&many[..20]).is_ok());
    }
}
