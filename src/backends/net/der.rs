//! The issuer and subject names of an X.509 certificate, read from its DER bytes: just enough
//! to name who issued a certificate that was refused.
//!
//! A server sends these bytes, so nothing here trusts them: every length is checked, nothing
//! panics, and the text is cut and cleaned of control characters before anyone sees it.

/// `commonName`, `organizationName` and `organizationalUnitName` (2.5.4.3, .10, .11).
const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
const ORGANIZATION: &[u8] = &[0x55, 0x04, 0x0a];
const ORGANIZATIONAL_UNIT: &[u8] = &[0x55, 0x04, 0x0b];

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const OID: u8 = 0x06;
const INTEGER: u8 = 0x02;
/// `[0] EXPLICIT`: the version of a v2 or v3 certificate.
const VERSION: u8 = 0xa0;

/// Longest name part kept, in characters.
const MAX_CHARS: usize = 100;

/// The parts of a distinguished name that say who it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Name {
    pub common_name: Option<String>,
    pub organization: Option<String>,
    pub unit: Option<String>,
}

impl Name {
    /// "Example Root CA (Example Corp)", or the parts there are; `None` when it has none.
    pub(crate) fn display(&self) -> Option<String> {
        let org = self.organization.as_ref().or(self.unit.as_ref());
        match (&self.common_name, org) {
            (Some(cn), Some(org)) if !cn.contains(org.as_str()) => {
                Some(format!("\"{cn}\" ({org})"))
            }
            (Some(cn), _) => Some(format!("\"{cn}\"")),
            (None, Some(org)) => Some(format!("\"{org}\"")),
            (None, None) => None,
        }
    }
}

/// The issuer and the subject of a DER certificate, or `None` when it cannot be read.
pub(crate) fn issuer_and_subject(certificate: &[u8]) -> Option<(Name, Name)> {
    let (tag, certificate, _) = tlv(certificate)?;
    if tag != SEQUENCE {
        return None;
    }
    let (tag, mut tbs, _) = tlv(certificate)?;
    if tag != SEQUENCE {
        return None;
    }
    let (tag, _, rest) = tlv(tbs)?;
    if tag == VERSION {
        tbs = rest;
    }
    let (tag, _, rest) = tlv(tbs)?; // serial number
    if tag != INTEGER {
        return None;
    }
    let (tag, _, rest) = tlv(rest)?; // signature algorithm
    if tag != SEQUENCE {
        return None;
    }
    let (tag, issuer, rest) = tlv(rest)?;
    if tag != SEQUENCE {
        return None;
    }
    let (_, _, rest) = tlv(rest)?; // validity
    let (tag, subject, _) = tlv(rest)?;
    if tag != SEQUENCE {
        return None;
    }
    Some((name(issuer)?, name(subject)?))
}

/// A `Name`: a sequence of sets of (type, value) pairs.
fn name(mut rdns: &[u8]) -> Option<Name> {
    let mut name = Name::default();
    while !rdns.is_empty() {
        let (tag, mut set, rest) = tlv(rdns)?;
        rdns = rest;
        if tag != SET {
            return None;
        }
        while !set.is_empty() {
            let (tag, pair, rest) = tlv(set)?;
            set = rest;
            if tag != SEQUENCE {
                return None;
            }
            let (tag, oid, value) = tlv(pair)?;
            if tag != OID {
                return None;
            }
            let slot = match oid {
                COMMON_NAME => &mut name.common_name,
                ORGANIZATION => &mut name.organization,
                ORGANIZATIONAL_UNIT => &mut name.unit,
                _ => continue,
            };
            if slot.is_none() {
                let (tag, text, _) = tlv(value)?;
                *slot = string(tag, text);
            }
        }
    }
    Some(name)
}

/// A directory string as text: UTF-8, printable, IA5, T.61 (read as Latin-1) or BMP.
fn string(tag: u8, bytes: &[u8]) -> Option<String> {
    let text: String = match tag {
        0x0c | 0x13 | 0x16 => String::from_utf8_lossy(bytes).into_owned(),
        0x14 => bytes.iter().map(|&b| char::from(b)).collect(),
        0x1e => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => return None,
    };
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let clean = clean.trim();
    if clean.is_empty() {
        return None;
    }
    Some(match clean.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &clean[..cut]),
        None => clean.to_owned(),
    })
}

/// One DER element: its tag, its contents and what follows it. Only the single-byte tags and
/// the definite lengths DER allows are read.
fn tlv(bytes: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = bytes.split_first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (length, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let (digits, rest) = rest.split_at(count);
        let length = digits
            .iter()
            .fold(0usize, |acc, &d| (acc << 8) | usize::from(d));
        (length, rest)
    };
    if rest.len() < length {
        return None;
    }
    let (contents, rest) = rest.split_at(length);
    Some((tag, contents, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(tag: u8, contents: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        if contents.len() < 0x80 {
            out.push(contents.len() as u8);
        } else {
            out.push(0x82);
            out.extend_from_slice(&(contents.len() as u16).to_be_bytes());
        }
        out.extend_from_slice(contents);
        out
    }

    fn rdn(oid: &[u8], tag: u8, value: &[u8]) -> Vec<u8> {
        let pair = [element(OID, oid), element(tag, value)].concat();
        element(SET, &element(SEQUENCE, &pair))
    }

    fn certificate(issuer: &[u8], subject: &[u8]) -> Vec<u8> {
        let tbs = [
            element(VERSION, &element(INTEGER, &[2])),
            element(INTEGER, &[1, 2, 3]),
            element(SEQUENCE, &element(OID, &[0x2a, 0x86, 0x48])),
            element(SEQUENCE, issuer),
            element(SEQUENCE, &[]),
            element(SEQUENCE, subject),
        ]
        .concat();
        element(
            SEQUENCE,
            &[element(SEQUENCE, &tbs), vec![0x05, 0x00]].concat(),
        )
    }

    #[test]
    fn names_the_issuer_and_the_subject() {
        let issuer = [
            rdn(&[0x55, 0x04, 0x06], 0x13, b"KR"),
            rdn(ORGANIZATION, 0x0c, "Acme Bank 은행".as_bytes()),
            rdn(COMMON_NAME, 0x13, b"Acme Inspection CA"),
        ]
        .concat();
        let subject = rdn(COMMON_NAME, 0x0c, b"localhost");
        let (issuer, subject) = issuer_and_subject(&certificate(&issuer, &subject)).unwrap();
        assert_eq!(
            issuer.display().as_deref(),
            Some("\"Acme Inspection CA\" (Acme Bank 은행)")
        );
        assert_eq!(subject.display().as_deref(), Some("\"localhost\""));
    }

    #[test]
    fn bmp_strings_and_control_characters_read_cleanly() {
        let bmp: Vec<u8> = "Corp\u{1b}[2J CA"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let issuer = rdn(COMMON_NAME, 0x1e, &bmp);
        let (issuer, _) = issuer_and_subject(&certificate(&issuer, &[])).unwrap();
        assert_eq!(issuer.common_name.as_deref(), Some("Corp [2J CA"));
        let long = "x".repeat(500);
        let issuer = rdn(COMMON_NAME, 0x0c, long.as_bytes());
        let (issuer, _) = issuer_and_subject(&certificate(&issuer, &[])).unwrap();
        assert_eq!(issuer.common_name.unwrap().chars().count(), MAX_CHARS + 1);
    }

    #[test]
    fn broken_bytes_give_nothing_and_never_panic() {
        let good = certificate(&rdn(COMMON_NAME, 0x0c, b"CA"), &[]);
        for cut in 0..good.len() {
            let _ = issuer_and_subject(&good[..cut]);
        }
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0xff;
            let _ = issuer_and_subject(&bad);
        }
        assert!(issuer_and_subject(b"").is_none());
        assert!(issuer_and_subject(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_none());
        assert!(issuer_and_subject(&[0x30, 0x85, 1, 1, 1, 1, 1]).is_none());
    }
}
