//! `apps webhook` (show or change an app's webhook, sending only what differs) and
//! `apps rotate-webhook-secret` (a new signing secret, printed once).

use std::io::IsTerminal as _;

use serde_json::json;

use super::output::{print_fields, print_json, print_masked_json, printable};
use super::{CliError, confirm_rotation_question, confirm_write};
use crate::api::{self, App, Client, Environment, WebhookConfig, WebhookPatch};
use crate::ops::{Outcome, Write};

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
            "{}",
            crate::tr!("cli-webhook-unchanged", app = printable(id))
        );
        return print_webhook(&app, &current, &[], json);
    }
    let will_be_on = changes.enabled.unwrap_or(current.enabled);
    let will_have_url =
        changes.url.is_some() || current.url.as_deref().is_some_and(|u| !u.is_empty());
    if will_be_on && !will_have_url {
        return Err(CliError(crate::tr!(
            "cli-webhook-no-address",
            app = printable(id)
        )));
    }
    let fields = changes.field_names();
    confirm_write(
        client,
        yes,
        &crate::tr!(
            "cli-what-change-webhook",
            app = printable(id),
            fields = fields.join(", ")
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
        value.map_or_else(
            || crate::tr!("cli-default-value", value = default),
            |n| n.to_string(),
        )
    };
    print_fields(&[
        (crate::tr!("cli-field-client-id"), app.client_id.clone()),
        (crate::tr!("cli-field-name"), app.name.clone()),
        (
            crate::tr!("cli-field-webhook"),
            if config.enabled {
                crate::tr!("cli-on")
            } else {
                crate::tr!("cli-off")
            },
        ),
        (
            crate::tr!("cli-field-address"),
            config
                .url
                .clone()
                .unwrap_or_else(|| crate::tr!("common-none")),
        ),
        (
            crate::tr!("cli-field-events"),
            if config.events.is_empty() {
                crate::tr!("common-none")
            } else {
                config.events.join(", ")
            },
        ),
        (
            crate::tr!("cli-field-retry-attempts"),
            or_default(config.retry_attempts, "3"),
        ),
        (
            crate::tr!("cli-field-timeout-seconds"),
            or_default(config.timeout_seconds, "10"),
        ),
    ]);
    if !changed.is_empty() {
        eprintln!(
            "{}",
            crate::tr!("cli-webhook-changed", fields = changed.join(", "))
        );
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
            &crate::tr!("cli-what-rotate-webhook-secret", app = printable(id)),
        )?;
    } else if !yes
        && std::io::stdin().is_terminal()
        && !confirm_rotation_question(&crate::tr!(
            "cli-confirm-rotate-webhook-secret",
            app = printable(id)
        ))?
    {
        return Err(CliError(crate::tr!("cli-cancelled-webhook-secret")));
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
            (crate::tr!("cli-field-client-id"), id.to_owned()),
            (
                crate::tr!("cli-field-new-webhook-secret"),
                secret.expose().to_owned(),
            ),
        ]);
    }
    eprintln!("{}", crate::tr!("cli-webhook-secret-warning"));
    Ok(())
}
