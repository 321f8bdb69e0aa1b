//! `apps webhook` (show or change an app's webhook, sending only what differs) and
//! `apps rotate-webhook-secret` (a new signing secret, printed once).

use std::io::IsTerminal as _;

use serde_json::json;

use super::output::{print_fields, print_json, print_masked_json, printable};
use super::{CliError, confirm_rotation_question, confirm_write};
use crate::api::{self, App, Client, Environment, WebhookConfig, WebhookPatch};
use crate::ops::{Outcome, Write};

const WEBHOOK_SECRET_WARNING: &str = "warning: this webhook signing secret is shown only once. \
Store it now where your webhook receiver reads it; signatures made with the previous secret no \
longer verify, so let the receiver accept both until it has the new one.";

/// What `apps webhook` was asked to change.
#[derive(Debug, Default)]
pub(super) struct WebhookFlags {
    pub url: Option<String>,
    pub enable: bool,
    pub disable: bool,
    pub events: Option<String>,
    pub retries: Option<u32>,
    pub timeout_seconds: Option<u32>,
}

impl WebhookFlags {
    /// The settings asked for, as a patch (before comparing with the app's).
    fn wanted(&self) -> WebhookPatch {
        WebhookPatch {
            enabled: match (self.enable, self.disable) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            },
            url: self.url.clone(),
            retry_attempts: self.retries,
            timeout_seconds: self.timeout_seconds,
            events: self.events.as_deref().map(|list| {
                list.split(',')
                    .map(str::trim)
                    .filter(|e| !e.is_empty())
                    .map(str::to_owned)
                    .collect()
            }),
        }
    }
}

/// `apps webhook APP [flags]`.
pub(super) async fn webhook(
    client: &Client,
    id: &str,
    flags: &WebhookFlags,
    json: bool,
    yes: bool,
) -> Result<(), CliError> {
    let wanted = flags.wanted();
    // Checked before the app is even read, so a typo costs no round trip.
    api::webhooks::validate_patch(&wanted).map_err(|(_, message)| CliError(message))?;
    let app = client.get_app(id).await?;
    let current = app.webhook_config.clone().unwrap_or_default();
    if wanted.is_empty() {
        return print_webhook(&app, &current, &[], json);
    }
    let changes = wanted.changes_from(&current);
    if changes.is_empty() {
        eprintln!(
            "The webhook of {} already has these settings; nothing was sent",
            printable(id)
        );
        return print_webhook(&app, &current, &[], json);
    }
    let will_be_on = changes.enabled.unwrap_or(current.enabled);
    let will_have_url =
        changes.url.is_some() || current.url.as_deref().is_some_and(|u| !u.is_empty());
    if will_be_on && !will_have_url {
        return Err(CliError(format!(
            "The webhook of {} has no address to deliver to; add --url https://…",
            printable(id)
        )));
    }
    let fields = changes.field_names();
    confirm_write(
        client,
        yes,
        &format!(
            "Change the webhook of {} ({})",
            printable(id),
            fields.join(", ")
        ),
    )?;
    let write = Write::UpdateWebhook {
        id: app.client_id.clone(),
        patch: changes,
    };
    let app = super::changed_oidc(super::hopae_write(client, write).await?)?;
    let saved = app.webhook_config.clone().unwrap_or_default();
    print_webhook(&app, &saved, &fields, json)
}

fn print_webhook(
    app: &App,
    config: &WebhookConfig,
    changed: &[&str],
    json: bool,
) -> Result<(), CliError> {
    if json {
        let mut value = json!({
            "clientId": app.client_id,
            "name": app.name,
            "webhookConfig": config,
        });
        if !changed.is_empty() {
            value["changed"] = json!(changed);
        }
        return print_masked_json(&value).map_err(CliError);
    }
    let or_default = |value: Option<u32>, default: &str| {
        value.map_or_else(|| format!("{default} (default)"), |n| n.to_string())
    };
    print_fields(&[
        ("Client ID", app.client_id.clone()),
        ("Name", app.name.clone()),
        (
            "Webhook",
            if config.enabled { "on" } else { "off" }.to_owned(),
        ),
        (
            "Address",
            config.url.clone().unwrap_or_else(|| "none".into()),
        ),
        (
            "Events",
            if config.events.is_empty() {
                "none".into()
            } else {
                config.events.join(", ")
            },
        ),
        ("Retry attempts", or_default(config.retry_attempts, "3")),
        ("Timeout (s)", or_default(config.timeout_seconds, "10")),
    ]);
    if !changed.is_empty() {
        eprintln!("Changed: {}", changed.join(", "));
    }
    Ok(())
}

/// `apps rotate-webhook-secret APP`.
pub(super) async fn rotate_secret(
    client: &Client,
    id: &str,
    json: bool,
    yes: bool,
) -> Result<(), CliError> {
    if client.connection().environment() == Environment::Production {
        confirm_write(
            client,
            yes,
            &format!("Rotate the webhook signing secret of {}", printable(id)),
        )?;
    } else if !yes
        && std::io::stdin().is_terminal()
        && !confirm_rotation_question(&format!(
            "Signatures made with the current webhook secret of {} will stop verifying \
             immediately. Rotate it? [y/N] ",
            printable(id)
        ))?
    {
        return Err(CliError(
            "Cancelled; the webhook secret was not changed".into(),
        ));
    }
    let write = Write::RotateWebhookSecret {
        id: id.to_owned(),
        idempotency_key: api::new_idempotency_key(),
    };
    let Outcome::WebhookSecretRotated { secret, .. } = super::hopae_write(client, write).await?
    else {
        return Err(super::unexpected_answer());
    };
    if json {
        print_json(&json!({"clientId": id, "secret": secret.expose()})).map_err(CliError)?;
    } else {
        print_fields(&[
            ("Client ID", id.to_owned()),
            ("New webhook secret", secret.expose().to_owned()),
        ]);
    }
    eprintln!("{WEBHOOK_SECRET_WARNING}");
    Ok(())
}
