//! A CJK fallback font looked up on the system, so Korean, Japanese and Chinese names render.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Font files whose names suggest Hangul, Kana and Han coverage, smallest first.
pub fn find_cjk_font() -> Option<PathBuf> {
    let mut found = Vec::new();
    for dir in font_dirs() {
        collect(&dir, 0, &mut found);
    }
    found.sort_by_key(|(size, _)| *size);
    found.into_iter().map(|(_, path)| path).next()
}

fn font_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![
        PathBuf::from("/usr/share/fonts"),
        PathBuf::from("/usr/local/share/fonts"),
    ];
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".local/share/fonts"));
        dirs.push(Path::new(&home).join(".fonts"));
    }
    dirs.push(PathBuf::from("C:\\Windows\\Fonts"));
    dirs.push(PathBuf::from("/System/Library/Fonts"));
    dirs.push(PathBuf::from("/Library/Fonts"));
    dirs
}

fn collect(dir: &Path, depth: usize, found: &mut Vec<(u64, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() && depth < 4 {
            collect(&path, depth + 1, found);
            continue;
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_lowercase();
        let is_font = name.ends_with(".ttf") || name.ends_with(".ttc") || name.ends_with(".otf");
        let cjk = [
            "wqy",
            "cjk",
            "droidsansfallback",
            "notosanskr",
            "notosansjp",
            "malgun",
            "msgothic",
            "msyh",
            "hiragino",
            "applegothic",
        ]
        .iter()
        .any(|k| name.contains(k));
        let bold = name.contains("bold")
            || name.contains("black")
            || name.contains("light")
            || name.contains("thin");
        if is_font && cjk && !bold {
            found.push((meta.len(), path));
        }
    }
}

/// Adds the system CJK font as the last fallback of every family. Returns the file used.
pub fn install_cjk_fallback(ctx: &egui::Context) -> Option<PathBuf> {
    let path = find_cjk_font()?;
    let bytes = std::fs::read(&path).ok()?;
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "cjk-fallback".to_owned(),
        Arc::new(egui::FontData::from_owned(bytes)),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push("cjk-fallback".to_owned());
    }
    ctx.set_fonts(fonts);
    Some(path)
}
