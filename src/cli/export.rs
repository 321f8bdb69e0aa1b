//! `apps export`: every app, without secrets, as the import's CSV or as JSON, to the standard
//! output or a file.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::CliError;
use super::output::{json_failed, print_json};
use crate::api::{self, Client};
use crate::export::{self, Format};

pub(super) async fn export(
    client: &Client,
    format: Format,
    output: Option<&Path>,
    journal_dir: Option<&Path>,
) -> Result<(), CliError> {
    if let Some(folder) = output
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
        && !folder.is_dir()
    {
        return Err(CliError(crate::tr!(
            "cli-export-no-folder",
            folder = folder.display().to_string()
        )));
    }
    let apps = client
        .list_all_apps(api::DEFAULT_PAGE_CONCURRENCY, |_, _| {})
        .await?;
    let bytes = match format {
        Format::Csv => {
            let ids = external_ids(client, journal_dir);
            export::to_csv(&apps, &ids)
        }
        Format::Json => {
            let value = export::to_json(&apps);
            if output.is_none() {
                print_json(&value).map_err(CliError)?;
                eprintln!("{}", crate::tr!("cli-exported", count = apps.len()));
                return Ok(());
            }
            let mut text =
                serde_json::to_vec_pretty(&value).map_err(|e| CliError(json_failed(&e)))?;
            text.push(b'\n');
            text
        }
    };
    match output {
        Some(path) => {
            std::fs::write(path, &bytes).map_err(|e| {
                CliError(crate::tr!(
                    "cli-export-save-failed",
                    path = path.display().to_string(),
                    error = e.to_string()
                ))
            })?;
            eprintln!(
                "{}",
                crate::tr!(
                    "cli-exported-to",
                    count = apps.len(),
                    path = path.display().to_string()
                )
            );
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)
                .and_then(|()| out.flush())
                .map_err(|e| {
                    CliError(crate::tr!("cli-export-write-failed", error = e.to_string()))
                })?;
            eprintln!("{}", crate::tr!("cli-exported", count = apps.len()));
        }
    }
    Ok(())
}

/// External ids of imported apps from the import journal; none when there is no journal.
fn external_ids(
    client: &Client,
    journal_dir: Option<&Path>,
) -> std::collections::HashMap<String, String> {
    let dir: Option<PathBuf> = journal_dir
        .map(Path::to_path_buf)
        .or_else(|| crate::import::default_journal_dir().ok());
    let Some(dir) = dir else {
        return Default::default();
    };
    match export::external_ids(&dir, client.connection().base_url().as_str()) {
        Ok(ids) => ids,
        Err(e) => {
            eprintln!(
                "{}",
                crate::tr!("cli-export-no-external-ids", error = e.to_string())
            );
            Default::default()
        }
    }
}
