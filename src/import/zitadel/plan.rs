//! What an import into a ZITADEL project does with each row, decided before anything is sent.
//!
//! ZITADEL app names are unique per project (an exact match, case and all), so a row's identity
//! is its name: an external id in the file is reported but identifies nothing here. A row whose
//! name a project app already has is left alone. Each row is created under its marker name
//! ([`marker_name`]) and renamed afterwards; the journal keeps the marker, so a rerun finds an
//! app an earlier run created (under the marker name, never the bare one) and claims it, or
//! finishes its rename.

use std::collections::HashMap;

use super::super::journal::{EntryState, JournalEntry};
use super::super::plan::PlanCounts;
use super::super::validate::Row;
use super::marker::{marker_name, parse_marker};
use crate::zitadel::ZitadelApp;

/// A project's apps by exact name, as they were when the import planned.
#[derive(Debug, Clone, Default)]
pub struct ProjectApps {
    by_name: HashMap<String, ZitadelApp>,
    /// Whether the project was read at all (a dry run without a connection does not).
    pub surveyed: bool,
}

impl ProjectApps {
    pub fn from_apps(apps: Vec<ZitadelApp>) -> Self {
        Self {
            by_name: apps.into_iter().map(|a| (a.name.clone(), a)).collect(),
            surveyed: true,
        }
    }

    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// The app with this client id.
    pub fn by_client_id(&self, client_id: &str) -> Option<&ZitadelApp> {
        self.by_name.values().find(|a| a.client_id == client_id)
    }

    /// The app with exactly this name.
    pub fn by_name(&self, name: &str) -> Option<&ZitadelApp> {
        self.by_name.get(name)
    }
}

/// What the import does with one row.
#[derive(Debug, Clone, PartialEq)]
pub enum ZitadelAction {
    /// No app has the name: create it under the marker name, then rename it.
    Create,
    /// An earlier run sent this row and never recorded the outcome, and an app with the row's
    /// marker name is in the project: it is that run's app. Its secret is issued again (BASIC)
    /// and saved, then it is renamed.
    Claim { app: ZitadelApp },
    /// An earlier run created it and saved its secret, but it still has its marker name.
    Rename { app: ZitadelApp },
    /// An app with this name is in the project and is not this import's: it is left as it
    /// is, and its secret is never touched.
    Exists { app_id: String, client_id: String },
    /// An earlier run created it, saved its secret and renamed it (the journal says so).
    CreatedEarlier { client_id: String },
    /// An earlier run created it, but its key file is not in the keys folder: it gets a key
    /// (any key of it on the server is one whose file was lost, and is replaced).
    GiveKey { app: ZitadelApp },
}

/// One valid row and what will happen to it.
#[derive(Debug, Clone, PartialEq)]
pub struct ZitadelPlannedRow {
    /// Spreadsheet row number.
    pub row: usize,
    /// `name:<exact name>`: the journal's key for this row.
    pub identity: String,
    pub name: String,
    pub external_id: Option<String>,
    /// The run marker the app is (or was) created under: the journalled one on a rerun.
    pub marker: String,
    pub action: ZitadelAction,
}

impl ZitadelPlannedRow {
    /// Whether the run sends something for this row (a create, or a new secret).
    pub fn sends(&self) -> bool {
        matches!(
            self.action,
            ZitadelAction::Create
                | ZitadelAction::Claim { .. }
                | ZitadelAction::Rename { .. }
                | ZitadelAction::GiveKey { .. }
        )
    }

    /// The name the app is created under, before it is renamed to [`Self::name`].
    pub fn marker_name(&self) -> String {
        marker_name(&self.name, &self.marker)
    }
}

/// What an import into a project will do.
#[derive(Debug, Clone, Default)]
pub struct ZitadelPlan {
    pub rows: Vec<ZitadelPlannedRow>,
    /// Rows not sent because an earlier row of the file has the same name: (row, first row).
    pub duplicates: Vec<(usize, usize)>,
    /// Rows not sent because they have an error.
    pub invalid: Vec<usize>,
}

impl ZitadelPlan {
    /// The preview's counts: claims and renames count as new (this import's apps, not yet
    /// done).
    pub fn counts(&self) -> PlanCounts {
        let mut counts = PlanCounts {
            duplicates: self.duplicates.len(),
            invalid: self.invalid.len(),
            ..PlanCounts::default()
        };
        for row in &self.rows {
            if row.sends() {
                counts.new += 1;
            } else {
                counts.exists += 1;
            }
        }
        counts
    }

    /// Rows an earlier run created whose key file is missing (`has_key(name, client id)` says
    /// whether it is there) get a key this time. Their apps are looked up by client id.
    pub fn give_missing_keys(&mut self, apps: &ProjectApps, has_key: impl Fn(&str, &str) -> bool) {
        for row in &mut self.rows {
            let ZitadelAction::CreatedEarlier { client_id } = &row.action else {
                continue;
            };
            let Some(app) = apps.by_client_id(client_id) else {
                continue;
            };
            if !has_key(&app.name, client_id) {
                row.action = ZitadelAction::GiveKey { app: app.clone() };
            }
        }
    }

    /// The rows the run sends, in file order.
    pub fn to_send(&self) -> Vec<&ZitadelPlannedRow> {
        self.rows.iter().filter(|r| r.sends()).collect()
    }
}

/// A row's identity in a ZITADEL project: its exact name (names are unique per project).
pub fn identity(name: &str) -> String {
    format!("name:{}", name.trim())
}

/// Plans the rows of a file against the project's apps and the journal of earlier runs. Rows
/// the journal has no marker for are created under `run_marker`.
pub fn plan_zitadel(
    rows: &[Row],
    apps: &ProjectApps,
    journal: &HashMap<String, JournalEntry>,
    run_marker: &str,
) -> ZitadelPlan {
    let mut plan = ZitadelPlan::default();
    let mut first_row: HashMap<String, usize> = HashMap::new();
    for row in rows {
        if !row.is_valid() {
            plan.invalid.push(row.row);
            continue;
        }
        let identity = identity(&row.name);
        if let Some(first) = first_row.get(&identity) {
            plan.duplicates.push((row.row, *first));
            continue;
        }
        first_row.insert(identity.clone(), row.row);
        let name = row.name.trim();
        let entry = journal.get(&identity);
        let marker = entry
            .and_then(|e| parse_marker(&e.key))
            .unwrap_or(run_marker)
            .to_owned();
        let ours = apps.by_name(&marker_name(name, &marker));
        let action = decide(apps.by_name(name), ours, entry);
        plan.rows.push(ZitadelPlannedRow {
            row: row.row,
            identity,
            name: name.to_owned(),
            external_id: row.external_id.clone(),
            marker,
            action,
        });
    }
    plan
}

/// `named`: the app with the row's name; `ours`: the app with the row's marker name, which
/// only this import creates.
fn decide(
    named: Option<&ZitadelApp>,
    ours: Option<&ZitadelApp>,
    entry: Option<&JournalEntry>,
) -> ZitadelAction {
    // Only a journal that kept a marker can vouch for an app: an entry of an older run (no
    // marker) claims nothing.
    let marked = entry.filter(|e| parse_marker(&e.key).is_some());
    let created = entry.is_some_and(|e| e.state == EntryState::Created);
    match (marked.map(|e| e.state), ours, named) {
        (Some(EntryState::Created), Some(app), _) => ZitadelAction::Rename { app: app.clone() },
        (Some(EntryState::Sent | EntryState::Unknown), Some(app), _) => {
            ZitadelAction::Claim { app: app.clone() }
        }
        // Created and renamed (or, by an older run, never under a marker): settled.
        _ if created => ZitadelAction::CreatedEarlier {
            client_id: entry
                .and_then(|e| e.client_id.clone())
                .or_else(|| named.map(|a| a.client_id.clone()))
                .unwrap_or_default(),
        },
        (_, _, Some(app)) => ZitadelAction::Exists {
            app_id: app.app_id.clone(),
            client_id: app.client_id.clone(),
        },
        (_, _, None) => ZitadelAction::Create,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zitadel::{AppKind, AppState, AuthMethod};

    const RUN: &str = "imp-0000";
    const EARLIER: &str = "imp-e001";

    fn row(number: usize, name: &str) -> Row {
        Row {
            row: number,
            name: name.into(),
            ..Row::default()
        }
    }

    fn app(id: &str, name: &str) -> ZitadelApp {
        ZitadelApp {
            app_id: id.into(),
            client_id: format!("c{id}"),
            name: name.into(),
            state: AppState::Active,
            kind: AppKind::Api,
            auth_method: Some(AuthMethod::Basic),
            created: None,
            changed: None,
        }
    }

    fn entry(
        name: &str,
        key: &str,
        state: EntryState,
        client_id: Option<&str>,
    ) -> (String, JournalEntry) {
        let entry = JournalEntry {
            id: identity(name),
            row: 2,
            key: key.into(),
            state,
            attempt: 0,
            client_id: client_id.map(str::to_owned),
            error: None,
            at: None,
        };
        (entry.id.clone(), entry)
    }

    #[test]
    fn names_match_exactly_and_taken_names_are_left_alone() {
        let apps = ProjectApps::from_apps(vec![app("1", "billing")]);
        let rows = [
            row(2, "billing"),
            row(3, "Billing"),
            row(4, "billing"),
            row(5, "ledger"),
        ];
        let plan = plan_zitadel(&rows, &apps, &HashMap::new(), RUN);
        let actions: Vec<&ZitadelAction> = plan.rows.iter().map(|r| &r.action).collect();
        assert_eq!(
            actions,
            [
                &ZitadelAction::Exists {
                    app_id: "1".into(),
                    client_id: "c1".into()
                },
                &ZitadelAction::Create,
                &ZitadelAction::Create,
            ]
        );
        assert_eq!(plan.duplicates, [(4, 2)]);
        assert_eq!(plan.rows[1].marker_name(), "Billing \u{b7}imp-0000");
        let counts = plan.counts();
        assert_eq!((counts.new, counts.exists, counts.duplicates), (2, 1, 1));
    }

    #[test]
    fn the_journal_claims_only_apps_under_its_marker() {
        let apps = ProjectApps::from_apps(vec![
            app("1", &marker_name("sent", EARLIER)),
            app("2", &marker_name("unknown", EARLIER)),
            // A colleague's app with the bare name is never claimed, whatever the journal says.
            app("3", "colleague"),
            app("4", "done"),
            app("5", &marker_name("renaming", EARLIER)),
            app("6", "old run"),
        ]);
        let journal: HashMap<String, JournalEntry> = [
            entry("sent", EARLIER, EntryState::Sent, None),
            entry("unknown", EARLIER, EntryState::Unknown, None),
            entry("colleague", EARLIER, EntryState::Sent, None),
            entry("done", EARLIER, EntryState::Created, Some("c4")),
            entry("renaming", EARLIER, EntryState::Created, Some("c5")),
            entry("gone", EARLIER, EntryState::Sent, None),
            // A run from before markers: its "sent" vouches for nothing.
            entry("old run", "zitadel-0eec5c45", EntryState::Sent, None),
        ]
        .into_iter()
        .collect();
        let names = [
            "sent",
            "unknown",
            "colleague",
            "done",
            "renaming",
            "gone",
            "old run",
            "fresh",
        ];
        let rows: Vec<Row> = names
            .iter()
            .enumerate()
            .map(|(i, n)| row(i + 2, n))
            .collect();
        let plan = plan_zitadel(&rows, &apps, &journal, RUN);
        let action = |i: usize| &plan.rows[i].action;
        assert!(matches!(action(0), ZitadelAction::Claim { app } if app.app_id == "1"));
        assert!(matches!(action(1), ZitadelAction::Claim { app } if app.app_id == "2"));
        assert!(matches!(action(2), ZitadelAction::Exists { app_id, .. } if app_id == "3"));
        assert!(
            matches!(action(3), ZitadelAction::CreatedEarlier { client_id } if client_id == "c4")
        );
        assert!(matches!(action(4), ZitadelAction::Rename { app } if app.app_id == "5"));
        // Sent, but under its marker name nothing arrived: created again, same marker.
        assert_eq!(action(5), &ZitadelAction::Create);
        assert_eq!(plan.rows[5].marker, EARLIER);
        assert!(matches!(action(6), ZitadelAction::Exists { app_id, .. } if app_id == "6"));
        assert_eq!(action(7), &ZitadelAction::Create);
        assert_eq!(plan.rows[7].marker, RUN);
        assert_eq!(plan.to_send().len(), 5);
    }
}
