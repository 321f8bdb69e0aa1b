//! The connection dialog: pick Hopae's sandbox, production or another address, or a ZITADEL
//! instance (its address, a personal access token, an optional organisation); paste the key or
//! token; choose a certificate authority file for a company network; set how long a call may
//! take; or go back to the local sandbox.

use std::path::PathBuf;
use std::time::Duration;

use zeroize::Zeroize as _;

use super::action::Action;
use super::state::AppState;
use super::theme::Tokens;
use super::waiting::cancel_ui;
use super::widgets::UiExt as _;
use crate::api::{HOPAE_PRODUCTION_URL, HOPAE_SANDBOX_URL};
use crate::backends::BackendKind;
use crate::runtime::OpId;
use crate::secret::Secret;
use crate::settings::{CaFiles, address_key};

/// The shortest and longest time a call may take that the dialog offers, in seconds.
const DEADLINE_SECS: std::ops::RangeInclusive<u64> = 5..=600;

/// Which address the dialog connects to: one the backend is known by, or one typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Address {
    Sandbox,
    Production,
    Typed,
}

/// The dialog while it is open. The typed key is wiped when it closes, and never printed.
pub struct ConnectDialog {
    /// The kind of server: the one enum every layer uses.
    pub backend: BackendKind,
    pub address: Address,
    pub base_url: String,
    pub api_key: String,
    /// ZITADEL: the organisation to act in, when not the token's own.
    pub org_id: String,
    /// How long a call may take, retries included, before it gives up.
    pub deadline_secs: u64,
    /// The certificate authority file to trust (a path, chosen or typed; empty for none).
    pub ca_file: String,
    /// The user chose or typed a file in this dialog; until then it follows the address.
    ca_file_touched: bool,
    /// The files remembered per address, to show the one of the address typed.
    remembered: CaFiles,
    /// Why no file dialog opened, shown under the field.
    ca_note: Option<String>,
    /// The check sent from this dialog.
    pub op: Option<OpId>,
}

impl std::fmt::Debug for ConnectDialog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectDialog")
            .field("backend", &self.backend)
            .field("address", &self.address)
            .field("base_url", &self.base_url)
            .field("api_key", &"***")
            .field("org_id", &self.org_id)
            .field("deadline_secs", &self.deadline_secs)
            .field("ca_file", &self.ca_file)
            .field("op", &self.op)
            .finish()
    }
}

impl Drop for ConnectDialog {
    fn drop(&mut self) {
        self.api_key.zeroize();
    }
}

impl ConnectDialog {
    /// A dialog starting from the last workspace address used, or Hopae's sandbox, with the
    /// certificate authority files remembered per address.
    pub fn open(last_base_url: Option<&str>, deadline: Duration, remembered: CaFiles) -> Self {
        let base_url = last_base_url.unwrap_or(HOPAE_SANDBOX_URL).to_owned();
        let mut dialog = Self {
            backend: BackendKind::Hopae,
            address: address_of(&base_url),
            base_url,
            api_key: String::new(),
            org_id: String::new(),
            deadline_secs: deadline.as_secs(),
            ca_file: String::new(),
            ca_file_touched: false,
            remembered,
            ca_note: None,
            op: None,
        };
        dialog.follow_address();
        dialog
    }

    /// Until the user picks one, the file is the one remembered for the address typed.
    fn follow_address(&mut self) {
        if !self.ca_file_touched {
            self.ca_file = self
                .remembered
                .get(&address_key(&self.base_url))
                .map(|path| path.display().to_string())
                .unwrap_or_default();
        }
    }

    /// The file chosen in the native dialog (`None`: cancelled, nothing changes).
    pub fn ca_file_chosen(&mut self, path: Option<PathBuf>) {
        if let Some(path) = path {
            self.ca_file = path.display().to_string();
            self.ca_file_touched = true;
            self.ca_note = None;
        }
    }

    /// No native dialog could open: the path is typed instead.
    pub fn ca_dialog_unavailable(&mut self, message: &str) {
        self.ca_note = Some(message.to_owned());
    }

    /// The certificate authority file to connect with, if any.
    pub fn chosen_ca_file(&self) -> Option<PathBuf> {
        Some(self.ca_file.trim())
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
    }

    /// Draws the dialog; returns whether it closed, and what the user chose.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        state: &AppState,
        tokens: &Tokens,
    ) -> (bool, Vec<Action>) {
        let pending = self
            .op
            .is_some_and(|op| state.connecting.is_some_and(|c| c.op == op));
        // Read only while the dialog is open, not on every frame of the console.
        let env_key_set = crate::settings::env_api_key().is_some();
        self.follow_address();
        let mut actions = Vec::new();
        let mut close = false;
        let modal = egui::Modal::new(egui::Id::unique("connect_dialog")).show(ctx, |ui| {
            ui.set_width(540.0);
            ui.heading(crate::tr!("connect-title"));
            ui.add_space(6.0);
            ui.add_enabled_ui(!pending, |ui| {
                self.fields_ui(ui, tokens, env_key_set, &mut actions);
            });
            if let (Some(error), false, Some(_)) = (&state.connect_error, pending, self.op) {
                ui.add_space(4.0);
                ui.api_error(error);
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
                let connect =
                    ui.add_enabled(!pending, egui::Button::new(crate::tr!("connect-button")));
                if (connect.clicked() || enter) && !pending {
                    let key = Some(Secret::new(self.api_key.trim())).filter(|k| !k.is_empty());
                    actions.push(Action::SetDeadline(Duration::from_secs(self.deadline_secs)));
                    let zitadel = self.backend == BackendKind::Zitadel;
                    actions.push(Action::Connect {
                        backend: self.backend,
                        base_url: self.base_url.trim().to_owned(),
                        key,
                        org_id: Some(self.org_id.trim().to_owned())
                            .filter(|o| zitadel && !o.is_empty()),
                        ca_file: self.chosen_ca_file(),
                    });
                }
                if ui
                    .add_enabled(
                        !pending,
                        egui::Button::new(crate::tr!("connect-use-local-sandbox")),
                    )
                    .on_hover_text(crate::tr!("connect-use-local-sandbox-tooltip"))
                    .clicked()
                {
                    actions.push(Action::UseLocalSandbox);
                }
                let in_flight = self.op.filter(|_| pending);
                let checking = crate::tr!("connect-checking");
                let (cancel, stop) = cancel_ui(ui, state, in_flight, &checking);
                close |= cancel;
                actions.extend(stop);
            });
        });
        if (close || modal.should_close()) && !pending {
            close = true;
        }
        (close, actions)
    }

    fn fields_ui(
        &mut self,
        ui: &mut egui::Ui,
        tokens: &Tokens,
        env_key_set: bool,
        actions: &mut Vec<Action>,
    ) {
        egui::Grid::new("connect_fields")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                ui.label(crate::tr!("connect-workspace"));
                ui.horizontal(|ui| {
                    for (backend, address, label, url) in [
                        (
                            BackendKind::Hopae,
                            Address::Sandbox,
                            crate::tr!("connect-hopae-sandbox"),
                            HOPAE_SANDBOX_URL,
                        ),
                        (
                            BackendKind::Hopae,
                            Address::Production,
                            crate::tr!("connect-production"),
                            HOPAE_PRODUCTION_URL,
                        ),
                        (
                            BackendKind::Hopae,
                            Address::Typed,
                            crate::tr!("connect-other-address"),
                            "",
                        ),
                        // A product name, the same in every language.
                        (
                            BackendKind::Zitadel,
                            Address::Typed,
                            "ZITADEL".to_owned(),
                            "",
                        ),
                    ] {
                        let chosen = (self.backend, self.address) == (backend, address);
                        if ui.selectable_label(chosen, label).clicked() && !chosen {
                            if !url.is_empty() {
                                self.base_url = url.to_owned();
                            } else if backend != self.backend {
                                // Another kind of server has another address.
                                self.base_url.clear();
                            }
                            self.backend = backend;
                            self.address = address;
                        }
                    }
                });
                ui.end_row();

                let zitadel = self.backend == BackendKind::Zitadel;
                let label = ui.label(crate::tr!("connect-address"));
                ui.add_enabled(
                    self.address == Address::Typed,
                    egui::TextEdit::singleline(&mut self.base_url)
                        .hint_text(if zitadel {
                            "https://your-instance.zitadel.cloud"
                        } else {
                            "https://…/connect/v1"
                        })
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
                ui.end_row();

                let label = ui.label(if zitadel {
                    crate::tr!("connect-pat")
                } else {
                    crate::tr!("connect-api-key")
                });
                ui.vertical(|ui| {
                    ui.add_enabled(
                        !env_key_set,
                        egui::TextEdit::singleline(&mut self.api_key)
                            .password(true)
                            .hint_text(if zitadel {
                                crate::tr!("connect-pat-hint")
                            } else {
                                crate::tr!("connect-api-key-hint")
                            })
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id);
                    ui.weak(if env_key_set {
                        crate::tr!("connect-env-key")
                    } else {
                        crate::tr!("connect-keyring")
                    });
                });
                ui.end_row();

                if zitadel {
                    let label = ui.label(crate::tr!("connect-org-id"));
                    ui.add(
                        egui::TextEdit::singleline(&mut self.org_id)
                            .hint_text(crate::tr!("connect-org-id-hint"))
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                }

                let label = ui.label(crate::tr!("connect-ca"));
                ui.vertical(|ui| {
                    ui.horizontal(|ui| {
                        let field = ui
                            .add(
                                egui::TextEdit::singleline(&mut self.ca_file)
                                    .hint_text(crate::tr!("connect-ca-hint"))
                                    .desired_width(260.0),
                            )
                            .labelled_by(label.id);
                        if field.changed() {
                            self.ca_file_touched = true;
                        }
                        if ui
                            .button(crate::tr!("connect-ca-file"))
                            .on_hover_text(crate::tr!("connect-ca-file-tooltip"))
                            .clicked()
                        {
                            actions.push(Action::ChooseCaFile);
                        }
                        if !self.ca_file.is_empty()
                            && ui.button(crate::tr!("connect-clear")).clicked()
                        {
                            self.ca_file.clear();
                            self.ca_file_touched = true;
                        }
                    });
                    match &self.ca_note {
                        Some(note) => {
                            ui.colored_label(tokens.error, note);
                        }
                        None => {
                            ui.weak(crate::tr!("connect-ca-help"));
                        }
                    }
                });
                ui.end_row();

                let label = ui.label(crate::tr!("connect-give-up-after"));
                ui.horizontal(|ui| {
                    ui.add(
                        egui::DragValue::new(&mut self.deadline_secs)
                            .range(DEADLINE_SECS)
                            .suffix(crate::tr!("connect-seconds-suffix")),
                    )
                    .labelled_by(label.id);
                    ui.weak(crate::tr!("connect-give-up-help"));
                });
                ui.end_row();
            });
        let production = self.address == Address::Production
            || self.api_key.trim().starts_with("sk_workspace_prod_");
        if production {
            ui.add_space(4.0);
            ui.colored_label(tokens.error, crate::tr!("connect-production-warning"));
        }
    }
}

fn address_of(base_url: &str) -> Address {
    match base_url.trim().trim_end_matches('/') {
        HOPAE_SANDBOX_URL => Address::Sandbox,
        HOPAE_PRODUCTION_URL => Address::Production,
        _ => Address::Typed,
    }
}
