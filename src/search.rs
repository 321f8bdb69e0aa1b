//! The one search rule for apps, shared by the list, the command palette's app results and
//! `apps list --search`: every word typed is a substring of the name or the client id, in any
//! order, without regard to case.

/// A search as typed, split into lower-cased words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppQuery {
    words: Vec<String>,
}

impl AppQuery {
    pub fn new(text: &str) -> Self {
        Self {
            words: text
                .split_whitespace()
                .map(|w| w.chars().flat_map(char::to_lowercase).collect())
                .collect(),
        }
    }

    /// Nothing typed: every app matches.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether an app with this name and client id matches.
    pub fn matches(&self, name: &str, client_id: &str) -> bool {
        self.is_empty() || self.matches_haystack(&haystack(name, client_id))
    }

    /// Whether a [`haystack`] matches: each word is in it (a word never spans the separator,
    /// so it is in the name or in the client id).
    pub fn matches_haystack(&self, haystack: &str) -> bool {
        self.words
            .iter()
            .all(|word| haystack.contains(word.as_str()))
    }
}

/// The lower-cased name and client id, joined by a separator no one types; built once per
/// app so that filtering on a keystroke allocates nothing.
pub fn haystack(name: &str, client_id: &str) -> String {
    let mut text = String::with_capacity(name.len() + client_id.len() + 1);
    text.extend(name.chars().flat_map(char::to_lowercase));
    text.push(SEPARATOR);
    text.extend(client_id.chars().flat_map(char::to_lowercase));
    text
}

/// Sorts before any character a name holds, so haystacks sort as their names do.
const SEPARATOR: char = '\u{1f}';

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_in_any_order_in_the_name_or_the_client_id() {
        let name = "Acme Bank Onboarding";
        let id = "48GATTUk";
        for query in ["acme retail", "onboard zzz", "bank\u{1f}48"] {
            assert!(!AppQuery::new(query).matches(name, id), "{query}");
        }
        for query in [
            "",
            "  ",
            "onboard acme",
            "ACME bank",
            "bank 48gat",
            "ttuk onboarding",
        ] {
            assert!(AppQuery::new(query).matches(name, id), "{query}");
        }
        // A word must sit in one field, not across the two.
        assert!(!AppQuery::new("onboarding48").matches(name, id));
        assert!(AppQuery::new("서울시 신청").matches("서울시 청년수당 신청", "XEv19xdX"));
    }
}
