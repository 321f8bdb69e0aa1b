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
        return Err("The address is empty".into());
    }
    if uri.chars().count() > MAX_URI_CHARS {
        return Err(format!(
            "The address is longer than {MAX_URI_CHARS} characters; shorten it"
        ));
    }
    if uri.contains('#') {
        return Err("Remove the #fragment: redirect addresses may not contain one".into());
    }
    let url = Url::parse(uri).map_err(|_| {
        "This is not a full web address; write it like https://example.com/callback".to_owned()
    })?;
    let Some(host) = url.host_str() else {
        return Err("The address has no host; write it like https://example.com/callback".into());
    };
    match url.scheme() {
        "https" => {}
        "http" if host.eq_ignore_ascii_case("localhost") => {}
        "http" => return Err("Use https:// (plain http is allowed only for localhost)".into()),
        other => return Err(format!("Use https://, not {other}://")),
    }
    // `Url` lower-cases the host and keeps the rest as written.
    Ok(url.to_string())
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
            problem: format!(
                "An app can have at most {MAX_URIS} redirect addresses; remove {}",
                out.len() - MAX_URIS
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
