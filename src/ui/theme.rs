//! Colours and sizes in one place, for dark and light mode.

use egui::Color32;

/// Design tokens read by every view.
pub struct Tokens {
    pub sandbox_banner: Color32,
    pub production_banner: Color32,
    pub banner_text: Color32,
    pub error: Color32,
    pub warning: Color32,
    pub success: Color32,
    pub row_height: f32,
}

pub fn tokens(dark: bool) -> Tokens {
    if dark {
        Tokens {
            sandbox_banner: Color32::from_rgb(38, 84, 124),
            production_banner: Color32::from_rgb(170, 32, 32),
            banner_text: Color32::WHITE,
            error: Color32::from_rgb(255, 120, 110),
            warning: Color32::from_rgb(240, 190, 80),
            success: Color32::from_rgb(110, 200, 120),
            row_height: 24.0,
        }
    } else {
        Tokens {
            sandbox_banner: Color32::from_rgb(214, 232, 250),
            production_banner: Color32::from_rgb(200, 30, 30),
            banner_text: Color32::from_rgb(20, 40, 70),
            error: Color32::from_rgb(180, 30, 30),
            warning: Color32::from_rgb(150, 100, 0),
            success: Color32::from_rgb(30, 120, 50),
            row_height: 24.0,
        }
    }
}
