//! Bytes to text: BOM sniffing, UTF-8, UTF-16, and legacy encodings guessed with chardetng.

use encoding_rs::{Encoding, UTF_8};

use super::ImportError;

/// Text decoded from a file, and how.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    /// The encoding's WHATWG name, such as `UTF-8`, `UTF-16LE` or `windows-1252`.
    pub encoding: &'static str,
    /// True when the encoding was guessed from the content rather than known from a BOM,
    /// valid UTF-8 or an override.
    pub guessed: bool,
}

/// Decodes a file. `encoding` overrides detection (a label such as `windows-1252`, `latin1`,
/// `utf-16le`, `shift_jis`, `euc-kr`); a BOM still wins, since it cannot be wrong.
pub fn decode(bytes: &[u8], encoding: Option<&str>) -> Result<Decoded, ImportError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::worded(|| crate::tr!("import-file-empty")));
    }
    if let Some(kind) = binary_kind(bytes) {
        return Err(ImportError::worded(|| {
            crate::tr!("import-file-binary", kind = kind.as_str())
        }));
    }
    let chosen = encoding.map(for_label).transpose()?;
    let (encoding, guessed) = match Encoding::for_bom(bytes) {
        Some((bom_encoding, _)) => (bom_encoding, false),
        None => match chosen {
            Some(chosen) => (chosen, false),
            None if std::str::from_utf8(bytes).is_ok() => (UTF_8, false),
            None => {
                let mut detector = chardetng::EncodingDetector::new();
                detector.feed(bytes, true);
                (detector.guess(None, false), true)
            }
        },
    };
    // `decode` strips a BOM of any kind and replaces malformed sequences.
    let (text, _, _) = encoding.decode(bytes);
    let text = text.into_owned();
    if looks_binary(&text) {
        return Err(ImportError::worded(|| crate::tr!("import-file-not-text")));
    }
    if text.trim().is_empty() {
        return Err(ImportError::worded(|| crate::tr!("import-file-empty")));
    }
    Ok(Decoded {
        text,
        encoding: encoding.name(),
        guessed,
    })
}

/// The encoding for a label, or a sentence listing common ones.
pub fn for_label(label: &str) -> Result<&'static Encoding, ImportError> {
    let normalized = label.trim().to_ascii_lowercase().replace('_', "-");
    let alias = match normalized.as_str() {
        "cp1252" | "ansi" | "excel" => "windows-1252",
        "utf8" => "utf-8",
        "utf16le" | "utf-16" => "utf-16le",
        "utf16be" => "utf-16be",
        "sjis" | "shift-jis" | "cp932" => "shift_jis",
        "cp949" => "euc-kr",
        other => other,
    };
    Encoding::for_label(alias.as_bytes())
        .ok_or_else(|| ImportError::worded(|| crate::tr!("import-unknown-encoding", label = label)))
}

/// Names a well-known binary format from its first bytes.
fn binary_kind(bytes: &[u8]) -> Option<String> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"PK\x03\x04", "zip"),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "xls"),
        (b"%PDF", "pdf"),
        (b"\x89PNG", "png"),
        (b"\xFF\xD8\xFF", "jpeg"),
        (b"GIF8", "gif"),
        (b"\x1F\x8B", "gzip"),
    ];
    let kind = SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, kind)| *kind)?;
    Some(match kind {
        "zip" => crate::tr!("import-kind-zip"),
        "xls" => crate::tr!("import-kind-xls"),
        "pdf" => crate::tr!("import-kind-pdf"),
        "png" => crate::tr!("import-kind-png"),
        "jpeg" => crate::tr!("import-kind-jpeg"),
        "gif" => crate::tr!("import-kind-gif"),
        _ => crate::tr!("import-kind-gzip"),
    })
}

/// Text with NULs or many control characters is a binary file decoded by mistake.
fn looks_binary(text: &str) -> bool {
    let sample: Vec<char> = text.chars().take(8192).collect();
    let control = sample
        .iter()
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        .count();
    sample.contains(&'\0') || control * 20 > sample.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode("name\nAcme\n".as_bytes(), None).unwrap();
        assert_eq!((plain.encoding, plain.guessed), ("UTF-8", false));
        let bom = decode(b"\xEF\xBB\xBFname\n\xEC\x9D\xB4", None).unwrap();
        assert_eq!(bom.text, "name\n이");
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("name\tx\n".encode_utf16().flat_map(u16::to_le_bytes));
        let decoded = decode(&bytes, None).unwrap();
        assert_eq!(decoded.text, "name\tx\n");
        assert_eq!(decoded.encoding, "UTF-16LE");
    }

    #[test]
    fn windows_1252_is_guessed() {
        let bytes = b"Name;Stra\xDFe\nM\xFCller GmbH;Gr\xFC\xDFe aus K\xF6ln\n";
        let decoded = decode(bytes, None).unwrap();
        assert!(decoded.text.contains("Müller GmbH"), "{}", decoded.text);
        assert!(decoded.guessed);
    }

    #[test]
    fn override_and_unknown_label() {
        let decoded = decode(b"name\nM\xFCller\n", Some("latin1")).unwrap();
        assert!(decoded.text.contains("Müller"));
        assert!(decode(b"name\n", Some("klingon")).is_err());
    }

    #[test]
    fn empty_and_binary_files_are_refused() {
        assert!(decode(b"", None).unwrap_err().0.contains("empty"));
        assert!(decode(b"  \r\n", None).unwrap_err().0.contains("empty"));
        assert!(
            decode(b"PK\x03\x04\x14\x00", None)
                .unwrap_err()
                .0
                .contains("Excel")
        );
        let noise: Vec<u8> = (0..2000u32).map(|i| (i * 7 % 32) as u8).collect();
        assert!(decode(&noise, None).is_err());
    }
}
