//! The exports: the workflow as pretty JSON, and the graph as PNG from a screenshot of the
//! canvas (zoomed to show the whole graph for that one frame). The view asks for a path and
//! for the file to be written through commands; it never touches a file itself.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use egui::{ColorImage, Rect};

use super::canvas::Camera;
use super::{Status, Tab, WorkflowView};
use crate::api::Workflow;
use crate::i18n::Language;
use crate::runtime::{Command, DialogRequest, FileContents, FileFilter, FilePurpose};

/// Frames to wait for a requested screenshot before saying it did not arrive.
const SCREENSHOT_PATIENCE_FRAMES: u32 = 120;

const JSON_FILTERS: &[FileFilter] = &[FileFilter {
    name: "JSON",
    extensions: &["json"],
}];

/// The PNG filter, named in the language in use (made once per language: a dialog's filter
/// names are `'static`).
fn png_filters() -> &'static [FileFilter] {
    static ENGLISH: OnceLock<[FileFilter; 1]> = OnceLock::new();
    static KOREAN: OnceLock<[FileFilter; 1]> = OnceLock::new();
    let slot = match crate::i18n::current_language() {
        Language::English => &ENGLISH,
        Language::Korean => &KOREAN,
    };
    slot.get_or_init(|| {
        [FileFilter {
            name: Box::leak(crate::tr!("workflow-png-filter").into_boxed_str()),
            extensions: &["png"],
        }]
    })
}

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
    /// Asks where to save (JSON or PNG).
    pub(super) fn ask_export(&self, purpose: FilePurpose) -> Option<Command> {
        let workflow = self.workflow()?;
        let (title, extension, filters) = match purpose {
            FilePurpose::WorkflowPng => (
                crate::tr!("workflow-export-png-title"),
                "png",
                png_filters(),
            ),
            _ => (
                crate::tr!("workflow-export-json-title"),
                "json",
                JSON_FILTERS,
            ),
        };
        Some(Command::dialog(DialogRequest {
            purpose,
            title,
            default_name: format!("{}.{extension}", file_stem(workflow)),
            filters,
            save: true,
        }))
    }

    /// The user chose where to save: JSON is written at once, PNG after the next screenshot.
    pub fn file_chosen(&mut self, purpose: FilePurpose, path: Option<PathBuf>) -> Vec<Command> {
        let Some(path) = path else {
            return Vec::new();
        };
        self.save_fallback = None;
        match purpose {
            FilePurpose::WorkflowJson => {
                let Some(workflow) = self.workflow() else {
                    return Vec::new();
                };
                match workflow_json(workflow) {
                    Ok(bytes) => vec![Command::WriteFile {
                        op: crate::runtime::OpId::next(),
                        purpose,
                        path,
                        contents: FileContents::Bytes(Arc::new(bytes)),
                    }],
                    Err(text) => {
                        self.status = Some(Status {
                            text,
                            is_error: true,
                        });
                        Vec::new()
                    }
                }
            }
            FilePurpose::WorkflowPng => {
                self.start_png_export(path);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// The file was written, or could not be.
    pub fn file_written(&mut self, path: &Path, result: Result<(), String>) {
        self.status = Some(match result {
            Ok(()) => Status {
                text: crate::tr!("workflow-saved-to", path = path.display().to_string()),
                is_error: false,
            },
            Err(text) => Status {
                text,
                is_error: true,
            },
        });
    }

    /// No dialog could open: say so, and offer a typed path instead.
    pub fn dialog_unavailable(&mut self, purpose: FilePurpose, message: &str) {
        self.status = Some(Status {
            text: message.to_owned(),
            is_error: true,
        });
        let name = self
            .workflow()
            .map(|w| {
                let extension = if purpose == FilePurpose::WorkflowPng {
                    "png"
                } else {
                    "json"
                };
                format!("{}.{extension}", file_stem(w))
            })
            .unwrap_or_default();
        let folder = std::env::current_dir().unwrap_or_default();
        self.save_fallback = Some((purpose, folder.join(name).display().to_string()));
    }

    fn start_png_export(&mut self, path: PathBuf) {
        self.tab = Tab::Graph;
        self.status = Some(Status {
            text: crate::tr!("workflow-taking-picture"),
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

    /// Once the screenshot has arrived, the command that writes it; gives up after a while.
    pub(super) fn poll_screenshot(&mut self, ctx: &egui::Context) -> Option<Command> {
        let shot = self.pending_shot.as_mut()?;
        let Some(region) = shot.region else {
            ctx.request_repaint();
            return None;
        };
        let image = shot.image.lock().ok().and_then(|mut slot| slot.take());
        let Some(image) = image else {
            shot.frames_waited += 1;
            if shot.frames_waited > SCREENSHOT_PATIENCE_FRAMES {
                self.camera = shot.saved_camera;
                self.pending_shot = None;
                self.status = Some(Status {
                    text: crate::tr!("workflow-picture-missing"),
                    is_error: true,
                });
            } else {
                ctx.request_repaint();
            }
            return None;
        };
        let cropped = image.region(&region, Some(shot.pixels_per_point));
        let path = shot.path.clone();
        self.camera = shot.saved_camera;
        self.pending_shot = None;
        self.status = Some(Status {
            text: crate::tr!("workflow-saving-picture"),
            is_error: false,
        });
        Some(Command::WriteFile {
            op: crate::runtime::OpId::next(),
            purpose: FilePurpose::WorkflowPng,
            path,
            contents: FileContents::Png(Arc::new(cropped)),
        })
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

/// The workflow as it came from the API (camelCase, unknown fields kept), pretty-printed.
pub fn workflow_json(workflow: &Workflow) -> Result<Vec<u8>, String> {
    serde_json::to_string_pretty(workflow)
        .map(|text| (text + "\n").into_bytes())
        .map_err(|e| crate::tr!("workflow-json-failed", error = e.to_string()))
}
