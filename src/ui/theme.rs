//! Colours and sizes in one place, for dark and light mode. The only module allowed raw
//! colours (`clippy.toml` refuses them elsewhere): every other view reads these tokens.
#![allow(clippy::disallowed_methods)]

use egui::Color32;

use crate::workflow::NodeKind;

/// Design tokens read by every view.
#[derive(Debug, Clone, Copy)]
pub struct Tokens {
    pub sandbox_banner: Color32,
    pub production_banner: Color32,
    pub banner_text: Color32,
    pub production_banner_text: Color32,
    pub error: Color32,
    pub warning: Color32,
    pub success: Color32,
    /// Outcomes that are neither good nor bad news, such as "exists, left as it is".
    pub neutral: Color32,
    pub row_height: f32,
    dark: bool,
}

/// The hue of each kind of workflow node: the stripe on its card at full strength.
fn node_hue(kind: NodeKind) -> (u8, u8, u8) {
    match kind {
        NodeKind::Request => (70, 130, 200),
        NodeKind::Verification => (60, 160, 90),
        NodeKind::CheckMinLoa | NodeKind::CheckClaim => (200, 160, 40),
        NodeKind::Evaluate => (140, 90, 190),
        NodeKind::If => (220, 110, 50),
        NodeKind::Response => (130, 130, 130),
        NodeKind::Other => (190, 70, 140),
    }
}

impl Tokens {
    /// The fill of a node card: a deep shade of its hue in dark mode, a pale tint in light
    /// mode, so the visuals' text colours stay readable on it.
    pub fn node_fill(&self, kind: NodeKind) -> Color32 {
        let (r, g, b) = node_hue(kind);
        let dark = self.dark;
        let mix = |c: u8| -> u8 {
            if dark {
                (f32::from(c) * 0.32 + 18.0) as u8
            } else {
                (f32::from(c) * 0.22 + 255.0 * 0.78) as u8
            }
        };
        Color32::from_rgb(mix(r), mix(g), mix(b))
    }

    /// The stripe at the top of a node card, and its outline.
    pub fn node_accent(&self, kind: NodeKind) -> Color32 {
        let (r, g, b) = node_hue(kind);
        Color32::from_rgb(r, g, b)
    }
}

pub fn tokens(dark: bool) -> Tokens {
    if dark {
        Tokens {
            sandbox_banner: Color32::from_rgb(38, 84, 124),
            production_banner: Color32::from_rgb(170, 32, 32),
            banner_text: Color32::WHITE,
            production_banner_text: Color32::WHITE,
            error: Color32::from_rgb(255, 120, 110),
            warning: Color32::from_rgb(240, 190, 80),
            success: Color32::from_rgb(110, 200, 120),
            neutral: Color32::from_gray(190),
            row_height: 24.0,
            dark,
        }
    } else {
        Tokens {
            sandbox_banner: Color32::from_rgb(214, 232, 250),
            production_banner: Color32::from_rgb(200, 30, 30),
            banner_text: Color32::from_rgb(20, 40, 70),
            production_banner_text: Color32::WHITE,
            error: Color32::from_rgb(180, 30, 30),
            warning: Color32::from_rgb(150, 100, 0),
            success: Color32::from_rgb(30, 120, 50),
            neutral: Color32::from_gray(70),
            row_height: 24.0,
            dark,
        }
    }
}

/// Secondary ("weak") text: egui's default fades the text colour to about 2.7:1 (dark) and
/// 2.9:1 (light) against the panel; these keep it quieter than the text but at 4.5:1 or more
/// on every ground it is drawn on.
const WEAK_TEXT_DARK: Color32 = Color32::from_gray(160);
const WEAK_TEXT_LIGHT: Color32 = Color32::from_gray(95);

/// Sets what the console changes in egui's two themes.
pub fn install(ctx: &egui::Context) {
    ctx.style_mut_of(egui::Theme::Dark, |style| {
        style.visuals.weak_text_color = Some(WEAK_TEXT_DARK);
    });
    ctx.style_mut_of(egui::Theme::Light, |style| {
        style.visuals.weak_text_color = Some(WEAK_TEXT_LIGHT);
    });
}

/// The WCAG contrast ratio of two colours (1 to 21).
pub fn contrast(a: Color32, b: Color32) -> f32 {
    fn luminance(c: Color32) -> f32 {
        let channel = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    }
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text colour of both themes against every ground it is drawn on: 4.5:1 (WCAG AA
    /// for normal text).
    #[test]
    fn every_text_meets_four_and_a_half_to_one_in_both_themes() {
        for dark in [true, false] {
            let ctx = egui::Context::default();
            install(&ctx);
            let theme = if dark {
                egui::Theme::Dark
            } else {
                egui::Theme::Light
            };
            let mut visuals = egui::Visuals::light();
            ctx.style_mut_of(theme, |style| visuals = style.visuals.clone());
            let t = tokens(dark);
            let grounds = [
                ("panel", visuals.panel_fill),
                ("window", visuals.window_fill),
                // Text boxes and the table's stripes (faint_bg_color is an overlay on these).
                ("text box", visuals.extreme_bg_color),
            ];
            let texts = [
                ("text", visuals.text_color()),
                ("weak text", visuals.weak_text_color()),
                ("error", t.error),
                ("warning", t.warning),
                ("success", t.success),
                ("neutral", t.neutral),
            ];
            for (ground_name, ground) in grounds {
                for (text_name, text) in texts {
                    let ratio = contrast(text, ground);
                    assert!(
                        ratio >= 4.5,
                        "{} theme: {text_name} on {ground_name} is {ratio:.2}:1",
                        if dark { "dark" } else { "light" }
                    );
                }
            }
            for (text, ground, what) in [
                (t.banner_text, t.sandbox_banner, "banner"),
                (
                    t.production_banner_text,
                    t.production_banner,
                    "production banner",
                ),
            ] {
                let ratio = contrast(text, ground);
                assert!(ratio >= 4.5, "{what}: {ratio:.2}:1");
            }
        }
    }

    #[test]
    fn contrast_is_wcag_s() {
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 0.01);
    }
}
