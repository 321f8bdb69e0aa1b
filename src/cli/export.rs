//! `apps export`: every app, without secrets, as the import's CSV or as JSON, to the standard
//! output or a file.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::CliError;
use super::output::print_json;
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
        return Err(CliError(format!(
            "The folder {} does not exist; create it or give a file in another folder",
            folder.display()
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
                eprintln!("{} app(s) exported", apps.len());
                return Ok(());
            }
            let mut text = serde_json::to_vec_pretty(&value)
                .map_err(|e| CliError(format!("could not write JSON: {e}")))?;
            text.push(b'\n');
            text
        }
    };
    match output {
        Some(path) => {
            std::fs::write(path, &bytes).map_err(|e| {
                CliError(format!(
                    "Could not save {}: {e}. Choose another folder or free some disk space",
                    path.display()
                ))
            })?;
            eprintln!("{} app(s) exported to {}", apps.len(), path.display());
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)
                .and_then(|()| out.flush())
                .map_err(|e| CliError(format!("could not write the export: {e}")))?;
            eprintln!("{} app(s) exported", apps.len());
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
            eprintln!("note: external ids are left empty: {e}");
            Default::default()
        }
    }
}
