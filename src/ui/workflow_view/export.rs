//! The exports: the workflow as pretty JSON, and the graph as PNG from a screenshot of the
//! canvas (zoomed to show the whole graph for that one frame).

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use egui::{ColorImage, Rect};

use super::canvas::Camera;
use super::{Status, Tab, WorkflowView};
use crate::api::Workflow;
use crate::ui::file_dialog::FileFilter;

/// Frames to wait for a requested screenshot before saying it did not arrive.
const SCREENSHOT_PATIENCE_FRAMES: u32 = 120;

/// A PNG export waiting for its screenshot.
pub(super) struct PendingShot {
    path: PathBuf,
    /// The camera to restore once the picture is taken (the shot shows the whole graph).
    saved_camera: Camera,
    /// The canvas area, in points; set when the screenshot is requested.
    region: Option<Rect>,
    pixels_per_point: f32,
    image: Arc<Mutex<Option<Arc<ColorImage>>>>,
    frames_waited: u32,
}

impl WorkflowView {
    pub(super) fn export_json(&mut self) {
        let Some(workflow) = self.workflow() else {
            return;
        };
        let default_name = format!("{}.json", file_stem(workflow));
        let filters = [FileFilter {
            name: "JSON",
            extensions: &["json"],
        }];
        let Some(path) = self
            .dialogs
            .save_file("Export workflow as JSON", &default_name, &filters)
        else {
            return;
        };
        self.status = Some(match write_workflow_json(&path, workflow) {
            Ok(()) => Status {
                text: format!("Saved the workflow to {}", path.display()),
                is_error: false,
            },
            Err(text) => Status {
                text,
                is_error: true,
            },
        });
    }

    pub(super) fn start_png_export(&mut self) {
        let Some(workflow) = self.workflow() else {
            return;
        };
        let default_name = format!("{}.png", file_stem(workflow));
        let filters = [FileFilter {
            name: "PNG image",
            extensions: &["png"],
        }];
        let Some(path) = self
            .dialogs
            .save_file("Export graph as PNG", &default_name, &filters)
        else {
            return;
        };
        self.tab = Tab::Graph;
        self.status = Some(Status {
            text: "Taking the picture…".to_owned(),
            is_error: false,
        });
        self.pending_shot = Some(PendingShot {
            path,
            saved_camera: self.camera,
            region: None,
            pixels_per_point: 1.0,
            image: Arc::new(Mutex::new(None)),
            frames_waited: 0,
        });
    }

    /// Asks for a screenshot once the canvas has been drawn with the graph on it.
    pub(super) fn request_pending_screenshot(&mut self, ctx: &egui::Context, canvas: Rect) {
        let Some(shot) = &mut self.pending_shot else {
            return;
        };
        if shot.region.is_some() {
            return;
        }
        shot.region = Some(canvas);
        shot.pixels_per_point = ctx.pixels_per_point();
        ctx.request_repaint();
        let slot = Arc::clone(&shot.image);
        let repaint = ctx.clone();
        ctx.request_screenshot(move |image| {
            if let Ok(mut slot) = slot.lock() {
                *slot = Some(image);
            }
            repaint.request_repaint();
        });
    }

    /// Writes the PNG when the screenshot has arrived, or gives up after a while.
    pub(super) fn poll_screenshot(&mut self, ctx: &egui::Context) {
        let Some(shot) = &mut self.pending_shot else {
            return;
        };
        let Some(region) = shot.region else {
            ctx.request_repaint();
            return;
        };
        let image = shot.image.lock().ok().and_then(|mut slot| slot.take());
        let Some(image) = image else {
            shot.frames_waited += 1;
            if shot.frames_waited > SCREENSHOT_PATIENCE_FRAMES {
                self.camera = shot.saved_camera;
                self.pending_shot = None;
                self.status = Some(Status {
                    text: "The picture of the graph did not arrive. Try again, or export the JSON instead".to_owned(),
                    is_error: true,
                });
            } else {
                ctx.request_repaint();
            }
            return;
        };
        let cropped = image.region(&region, Some(shot.pixels_per_point));
        let path = shot.path.clone();
        self.camera = shot.saved_camera;
        self.pending_shot = None;
        self.status = Some(match write_png(&path, &cropped) {
            Ok(()) => Status {
                text: format!("Saved the graph to {}", path.display()),
                is_error: false,
            },
            Err(text) => Status {
                text,
                is_error: true,
            },
        });
    }
}

/// A file name from the workflow's name: letters, digits, dashes; the id if nothing is left.
fn file_stem(workflow: &Workflow) -> String {
    let stem: String = workflow
        .name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if stem.is_empty() {
        workflow.workflow_id.clone()
    } else {
        stem
    }
}

/// Writes the workflow as it came from the API (camelCase, unknown fields kept).
pub fn write_workflow_json(path: &Path, workflow: &Workflow) -> Result<(), String> {
    let text = serde_json::to_string_pretty(workflow)
        .map_err(|e| format!("Could not turn the workflow into JSON: {e}"))?;
    std::fs::write(path, text + "\n").map_err(|e| {
        format!(
            "Could not save the JSON ({e}). Choose another folder and try again: {}",
            path.display()
        )
    })
}

/// Writes `image` as an 8-bit RGBA PNG.
pub fn write_png(path: &Path, image: &ColorImage) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| {
        format!(
            "Could not save the image ({e}). Choose another folder and try again: {}",
            path.display()
        )
    };
    let [width, height] = image.size;
    if width == 0 || height == 0 {
        return Err("The graph area is empty, so there is no image to save".to_owned());
    }
    let file = File::create(path).map_err(|e| fail(&e))?;
    let mut encoder = png::Encoder::new(BufWriter::new(file), width as u32, height as u32);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| fail(&e))?;
    let rgba: Vec<u8> = image
        .pixels
        .iter()
        .flat_map(|p| p.to_srgba_unmultiplied())
        .collect();
    writer.write_image_data(&rgba).map_err(|e| fail(&e))?;
    writer.finish().map_err(|e| fail(&e))
}

#[cfg(test)]
mod tests {
    use egui::Color32;

    use super::*;

    #[test]
    fn png_round_trips_size_and_pixels() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("graph.png");
        let mut image = ColorImage::filled([3, 2], Color32::from_rgb(10, 20, 30));
        image.pixels[4] = Color32::from_rgb(200, 100, 50);
        write_png(&path, &image).unwrap();
        let decoder = png::Decoder::new(std::io::BufReader::new(File::open(&path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buffer).unwrap();
        assert_eq!((info.width, info.height), (3, 2));
        assert_eq!(&buffer[16..20], &[200, 100, 50, 255]);
        assert!(write_png(&path, &ColorImage::filled([0, 0], Color32::BLACK)).is_err());
    }
}
