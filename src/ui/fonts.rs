//! Hangul always drawn: a system font chosen by what it covers (does it map 한글?), not by its
//! file name, or else the bundled "Connect Hangul" (every Hangul syllable and the Jamo).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use skrifa::MetadataProvider as _;
use skrifa::raw::FileRef;

/// The Hangul fallback shipped in the binary: NanumGothic cut to Hangul, renamed (OFL 1.1,
/// `assets/fonts/OFL.txt`).
pub const BUNDLED_HANGUL: &[u8] = include_bytes!("../../assets/fonts/ConnectHangul-Regular.ttf");

/// Characters a font must map to count as a Hangul font: syllables from both ends of the block,
/// common ones, and compatibility Jamo.
const HANGUL_PROBE: &str = "한글가각힣앱설정ㄱㅎㅏ";

/// Han and Kana, for Chinese and Japanese app names: a Hangul font that also maps these is
/// preferred, and one that does not is joined by a font that does.
const HAN_KANA_PROBE: &str = "漢字东务份かなカナ";

/// Font files larger than this are not read while looking (whole-CJK collections are ~20 MB a
/// face; anything bigger is not worth the start-up time).
const MAX_FONT_FILE: u64 = 64 * 1024 * 1024;

/// A face of a font file: the file and the face's index in it (collections hold several).
pub type FontFace = (PathBuf, u32);

/// The font that draws Hangul.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HangulFont {
    /// A face of a font on this system.
    System { path: PathBuf, index: u32 },
    /// The bundled fallback.
    Bundled,
}

/// The folders fonts are looked for in: the usual ones of Linux, macOS and Windows.
pub fn system_font_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![
        PathBuf::from("/usr/share/fonts"),
        PathBuf::from("/usr/local/share/fonts"),
    ];
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".local/share/fonts"));
        dirs.push(Path::new(&home).join(".fonts"));
        dirs.push(Path::new(&home).join("Library/Fonts"));
    }
    if let Some(windir) = std::env::var_os("WINDIR") {
        dirs.push(Path::new(&windir).join("Fonts"));
    } else {
        dirs.push(PathBuf::from("C:\\Windows\\Fonts"));
    }
    dirs.push(PathBuf::from("/System/Library/Fonts"));
    dirs.push(PathBuf::from("/Library/Fonts"));
    dirs
}

/// Whether face `index` of `data` maps every character of `text` that is not ASCII.
pub fn face_covers(data: &[u8], index: u32, text: &str) -> bool {
    let Ok(file) = FileRef::new(data) else {
        return false;
    };
    let Some(Ok(face)) = file.fonts().nth(index as usize) else {
        return false;
    };
    let charmap = face.charmap();
    text.chars()
        .filter(|c| !c.is_ascii() && !c.is_whitespace())
        .all(|c| charmap.map(c).is_some())
}

/// The first face in `dirs` that maps Hangul. Regular faces are tried first (a name is only a
/// hint for the order; the character map decides), then smaller files.
pub fn find_hangul_font(dirs: &[PathBuf]) -> Option<FontFace> {
    find_cjk_fonts(dirs).0
}

/// The fonts that draw East Asian names: a face that maps Hangul (one that also maps Han and
/// Kana if there is one), and, where that face has no Han or Kana, another face that does.
/// Faces are read in the order of [`weight_rank`] then size, and the search stops at the first
/// face that maps all three scripts.
pub fn find_cjk_fonts(dirs: &[PathBuf]) -> (Option<FontFace>, Option<FontFace>) {
    let mut files = Vec::new();
    for dir in dirs {
        collect(dir, 0, &mut files);
    }
    files.sort_by_key(|(size, path)| (weight_rank(path), *size));
    let mut hangul = None;
    let mut han_kana = None;
    for (_, path) in files {
        let Ok(data) = std::fs::read(&path) else {
            continue;
        };
        let faces = FileRef::new(&data)
            .map(|file| file.fonts().count())
            .unwrap_or(0);
        for index in 0..faces as u32 {
            let has_hangul = face_covers(&data, index, HANGUL_PROBE);
            let has_han_kana = face_covers(&data, index, HAN_KANA_PROBE);
            if has_hangul && has_han_kana {
                return (Some((path, index)), None);
            }
            if has_hangul && hangul.is_none() {
                hangul = Some((path.clone(), index));
            }
            if has_han_kana && han_kana.is_none() {
                han_kana = Some((path.clone(), index));
            }
        }
    }
    (hangul, han_kana)
}

/// 0 for a regular face, 1 for one whose name says another weight.
fn weight_rank(path: &Path) -> u8 {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_lowercase();
    let other = ["bold", "black", "light", "thin", "heavy", "medium", "extra"];
    u8::from(other.iter().any(|w| name.contains(w)))
}

fn collect(dir: &Path, depth: usize, found: &mut Vec<(u64, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // Folders are entered only as themselves (a linked folder could loop); a file is
        // looked at through its link, and only if it is a regular file (a FIFO would block).
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            if depth < 4 {
                collect(&path, depth + 1, found);
            }
            continue;
        }
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_lowercase();
        let is_font = [".ttf", ".ttc", ".otf", ".otc"]
            .iter()
            .any(|ext| name.ends_with(ext));
        if is_font && meta.len() <= MAX_FONT_FILE {
            found.push((meta.len(), path));
        }
    }
}

/// Adds the Hangul font found in `dirs` (or the bundled one) as the last fallback of every
/// family, after egui's own fonts. Returns which font draws Hangul.
pub fn install_hangul_fallback(ctx: &egui::Context, dirs: &[PathBuf]) -> HangulFont {
    let (fonts, chosen) = hangul_font_definitions(dirs);
    ctx.set_fonts(fonts);
    tracing::debug!("Hangul is drawn with {chosen:?}");
    chosen
}

/// egui's fonts with the Hangul font of `dirs` (or the bundled one) last in every family.
pub fn hangul_font_definitions(dirs: &[PathBuf]) -> (egui::FontDefinitions, HangulFont) {
    let mut fonts = egui::FontDefinitions::default();
    let read =
        |(path, index): (PathBuf, u32)| std::fs::read(&path).ok().map(|bytes| (path, index, bytes));
    let (hangul, han_kana) = find_cjk_fonts(dirs);
    let found = hangul.and_then(read);
    let han_kana = han_kana.and_then(read);
    let (chosen, data) = match found {
        Some((path, index, bytes)) => (
            HangulFont::System { path, index },
            egui::FontData::from_blob(Arc::new(bytes), index),
        ),
        None => (
            HangulFont::Bundled,
            egui::FontData::from_static(BUNDLED_HANGUL),
        ),
    };
    fonts
        .font_data
        .insert("hangul-fallback".to_owned(), Arc::new(data));
    let mut fallbacks = vec!["hangul-fallback".to_owned()];
    if let Some((_, index, bytes)) = han_kana {
        fonts.font_data.insert(
            "han-kana-fallback".to_owned(),
            Arc::new(egui::FontData::from_blob(Arc::new(bytes), index)),
        );
        fallbacks.push("han-kana-fallback".to_owned());
    }
    // Arrows and bullets (→ ↑ ↓ ●) are in egui's monospace font only; text needs them too.
    fonts
        .families
        .entry(egui::FontFamily::Proportional)
        .or_default()
        .push("Hack".to_owned());
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .extend(fallbacks.iter().cloned());
    }
    (fonts, chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_font_has_every_syllable_and_the_jamo() {
        // The 11,172 syllables, the modern conjoining Jamo (initial, medial, final and the two
        // fillers) and the compatibility Jamo people type.
        let all: String = (0xAC00u32..=0xD7A3)
            .chain(0x1100..=0x1112)
            .chain(0x115F..=0x1175)
            .chain(0x11A8..=0x11C2)
            .chain(0x3131..=0x318E)
            .filter_map(char::from_u32)
            .collect();
        assert!(face_covers(BUNDLED_HANGUL, 0, &all));
        assert!(BUNDLED_HANGUL.len() < 3 * 1024 * 1024, "a few MB at most");
    }

    #[test]
    fn a_font_is_chosen_by_what_it_covers_not_its_name() {
        let dir = std::env::temp_dir().join(format!("cc-fonts-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        // A Hangul font under a name that says nothing, and a non-font that claims to be one.
        std::fs::write(dir.join("sub/plain.ttf"), BUNDLED_HANGUL).unwrap();
        std::fs::write(dir.join("notosanscjk-kr.ttf"), b"not a font").unwrap();
        let found = find_hangul_font(std::slice::from_ref(&dir));
        assert_eq!(found, Some((dir.join("sub/plain.ttf"), 0)));
        std::fs::remove_dir_all(&dir).unwrap();
        let empty = std::env::temp_dir().join(format!("cc-fonts-empty-{}", std::process::id()));
        std::fs::create_dir_all(&empty).unwrap();
        assert_eq!(find_hangul_font(std::slice::from_ref(&empty)), None);
        std::fs::remove_dir_all(&empty).unwrap();
    }

    #[test]
    fn without_a_system_font_the_bundled_one_draws_hangul() {
        let (fonts, chosen) = hangul_font_definitions(&[]);
        assert_eq!(chosen, HangulFont::Bundled);
        for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
            let last = fonts.families[&family].last().unwrap();
            let data = &fonts.font_data[last];
            let bytes: &[u8] = data.font.as_ref().as_ref();
            assert!(face_covers(bytes, data.index, "한글 앱 설정"), "{family:?}");
        }
    }
}
