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
