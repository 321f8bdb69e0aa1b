//! Card colours per node type, for dark and light mode, chosen so the visuals' text colours
//! stay readable on them.

use egui::Color32;

use crate::workflow::NodeKind;

/// The fill of a node card.
pub fn card_fill(kind: NodeKind, dark: bool) -> Color32 {
    let (r, g, b) = match kind {
        NodeKind::Request => (70, 130, 200),
        NodeKind::Verification => (60, 160, 90),
        NodeKind::CheckMinLoa | NodeKind::CheckClaim => (200, 160, 40),
        NodeKind::Evaluate => (140, 90, 190),
        NodeKind::If => (220, 110, 50),
        NodeKind::Response => (120, 120, 120),
        NodeKind::Other => (160, 60, 120),
    };
    // Dark mode: a deep shade; light mode: a pale tint of the same hue.
    let mix = |c: u8| -> u8 {
        if dark {
            (f32::from(c) * 0.32 + 18.0) as u8
        } else {
            (f32::from(c) * 0.22 + 255.0 * 0.78) as u8
        }
    };
    Color32::from_rgb(mix(r), mix(g), mix(b))
}

/// The stripe at the top of a card: the type's hue at full strength.
pub fn card_accent(kind: NodeKind) -> Color32 {
    match kind {
        NodeKind::Request => Color32::from_rgb(70, 130, 200),
        NodeKind::Verification => Color32::from_rgb(60, 160, 90),
        NodeKind::CheckMinLoa | NodeKind::CheckClaim => Color32::from_rgb(200, 160, 40),
        NodeKind::Evaluate => Color32::from_rgb(140, 90, 190),
        NodeKind::If => Color32::from_rgb(220, 110, 50),
        NodeKind::Response => Color32::from_rgb(130, 130, 130),
        NodeKind::Other => Color32::from_rgb(190, 70, 140),
    }
}
