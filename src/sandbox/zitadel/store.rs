//! The ZITADEL sandbox's in-memory instance: organisations, their projects, and the projects'
//! applications, with ZITADEL's rules (names unique per project, a secret for BASIC API apps
//! only and kept as a hash, state changes that fail when there is nothing to change).
//!
//! These are the sandbox's own types, written from the fact sheet independently of
//! `crate::zitadel`, so a field misread on one side shows up as a failing test.

use crate::digest::sha256_hex;
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};

use super::status::Status;
use crate::sandbox::store::iso_now;

/// The token's own organisation (used when no `x-zitadel-orgid` is sent).
pub const HOME_ORG_ID: &str = "271000000000000001";
/// A second organisation the sandbox's tokens may act on with `x-zitadel-orgid`.
pub const PARTNER_ORG_ID: &str = "271000000000000002";

/// Longest app name (proto validation: 1 to 200 runes).
pub const MAX_NAME_CHARS: usize = 200;

/// What kind of application, and for API apps how it authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Api { private_key_jwt: bool },
    Oidc,
}

/// When an object was made and last changed, and the event sequence of its last change.
#[derive(Debug, Clone)]
pub(crate) struct Stamp {
    pub sequence: u64,
    pub created: String,
    pub changed: String,
}

#[derive(Debug, Clone)]
pub(crate) struct SbApp {
    pub id: String,
    pub name: String,
    pub active: bool,
    pub kind: Kind,
    pub client_id: String,
    /// SHA-256 of the current secret; the secret itself is never kept.
    pub secret_hash: Option<String>,
    pub stamp: Stamp,
    /// Keys of a private-key-jwt app.
    pub keys: Vec<SbKey>,
}

/// An app key: the private key is handed out once and not kept.
#[derive(Debug, Clone)]
pub(crate) struct SbKey {
    pub id: String,
    pub expiration: String,
    pub stamp: Stamp,
}

/// What ZITADEL stores for a key added without a date.
pub const NO_EXPIRY: &str = "9999-12-31T23:59:59Z";

/// The private keys the sandbox hands out: obviously fake PEM blocks from a small pool, since
/// generating RSA keys is slow and nothing here signs with them.
const FAKE_KEYS: [&str; 3] = [
    "-----BEGIN RSA PRIVATE KEY-----\nFAKE-SANDBOX-KEY-ONE-NOT-A-REAL-KEY\n-----END RSA PRIVATE KEY-----\n",
    "-----BEGIN RSA PRIVATE KEY-----\nFAKE-SANDBOX-KEY-TWO-NOT-A-REAL-KEY\n-----END RSA PRIVATE KEY-----\n",
    "-----BEGIN RSA PRIVATE KEY-----\nFAKE-SANDBOX-KEY-THREE-NOT-A-REAL-KEY\n-----END RSA PRIVATE KEY-----\n",
];

#[derive(Debug, Clone)]
pub(crate) struct SbProject {
    pub id: String,
    pub name: String,
    pub active: bool,
    pub stamp: Stamp,
    pub apps: Vec<SbApp>,
}

#[derive(Debug)]
pub(crate) struct SbOrg {
    pub id: String,
    pub projects: Vec<SbProject>,
}

/// The instance.
pub(crate) struct ZStore {
    pub orgs: Vec<SbOrg>,
    sequence: u64,
    next_id: u64,
    rng: StdRng,
}

impl ZStore {
    /// Two organisations (the token's home and a partner) and no projects.
    pub fn new(seed: Option<u64>) -> Self {
        let mut rng = seed.map_or_else(StdRng::from_os_rng, StdRng::seed_from_u64);
        let next_id = 310_000_000_000_000_000 + rng.random_range(0..1_000_000_000_000u64);
        let org = |id: &str| SbOrg {
            id: id.to_owned(),
            projects: Vec::new(),
        };
        Self {
            orgs: vec![org(HOME_ORG_ID), org(PARTNER_ORG_ID)],
            sequence: 0,
            next_id,
            rng,
        }
    }

    /// A fresh snowflake-like id (18 digits, increasing).
    pub fn new_id(&mut self) -> String {
        self.next_id += self.rng.random_range(1..1_000);
        self.next_id.to_string()
    }

    fn stamp(&mut self) -> Stamp {
        self.sequence += 1;
        let now = iso_now();
        Stamp {
            sequence: self.sequence,
            created: now.clone(),
            changed: now,
        }
    }

    fn touch(&mut self, stamp: &mut Stamp) {
        self.sequence += 1;
        stamp.sequence = self.sequence;
        stamp.changed = iso_now();
    }

    /// A 64-character secret and its hash.
    fn new_secret(&mut self) -> (String, String) {
        const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let secret: String = (0..64)
            .map(|_| ALNUM[self.rng.random_range(0..ALNUM.len())] as char)
            .collect();
        let hash = sha256_hex(secret.as_bytes());
        (secret, hash)
    }

    pub fn org(&self, org_id: &str) -> Option<&SbOrg> {
        self.orgs.iter().find(|o| o.id == org_id)
    }

    pub fn project(&self, org_id: &str, project_id: &str) -> Option<&SbProject> {
        self.org(org_id)?
            .projects
            .iter()
            .find(|p| p.id == project_id)
    }

    fn project_mut(&mut self, org_id: &str, project_id: &str) -> Option<&mut SbProject> {
        self.orgs
            .iter_mut()
            .find(|o| o.id == org_id)?
            .projects
            .iter_mut()
            .find(|p| p.id == project_id)
    }

    /// Adds a project to an organisation and returns its id.
    pub fn add_project(&mut self, org_id: &str, name: &str) -> String {
        let id = self.new_id();
        let stamp = self.stamp();
        if let Some(org) = self.orgs.iter_mut().find(|o| o.id == org_id) {
            org.projects.push(SbProject {
                id: id.clone(),
                name: name.to_owned(),
                active: true,
                stamp,
                apps: Vec::new(),
            });
        }
        id
    }

    /// Adds an app (any kind) with a chosen client id, or a generated one; returns the
    /// secret for BASIC API apps.
    pub fn add_app(
        &mut self,
        org_id: &str,
        project_id: &str,
        name: &str,
        kind: Kind,
        client_id: Option<String>,
    ) -> Result<(SbApp, Option<String>), Status> {
        if self.project(org_id, project_id).is_none() {
            return Err(Status::new(9, "Project not found", Some("COMMAND-EbFMN")));
        }
        if self
            .project(org_id, project_id)
            .is_some_and(|p| p.apps.iter().any(|a| a.name == name))
        {
            return Err(Status::new(
                6,
                "Application already exists",
                Some("V3-DKcYh"),
            ));
        }
        let id = self.new_id();
        let client_id = client_id.unwrap_or_else(|| self.new_id());
        let (secret, secret_hash) = match kind {
            Kind::Api {
                private_key_jwt: false,
            } => {
                let (secret, hash) = self.new_secret();
                (Some(secret), Some(hash))
            }
            _ => (None, None),
        };
        let app = SbApp {
            id,
            name: name.to_owned(),
            active: true,
            kind,
            client_id,
            secret_hash,
            stamp: self.stamp(),
            keys: Vec::new(),
        };
        if let Some(project) = self.project_mut(org_id, project_id) {
            project.apps.push(app.clone());
        }
        Ok((app, secret))
    }

    fn app_mut(
        &mut self,
        org_id: &str,
        project_id: &str,
        app_id: &str,
    ) -> Result<&mut SbApp, Status> {
        self.project_mut(org_id, project_id)
            .and_then(|p| p.apps.iter_mut().find(|a| a.id == app_id))
            .ok_or_else(Status::app_doesnt_exist)
    }

    /// Renames; the same name is 9 "No changes", another app's name 6.
    pub fn rename(
        &mut self,
        org_id: &str,
        project_id: &str,
        app_id: &str,
        name: &str,
    ) -> Result<Stamp, Status> {
        let app = self.app_mut(org_id, project_id, app_id)?;
        if app.name == name {
            return Err(Status::new(9, "No changes", Some("COMMAND-2m8vx")));
        }
        let taken = self
            .project(org_id, project_id)
            .is_some_and(|p| p.apps.iter().any(|a| a.name == name && a.id != app_id));
        if taken {
            return Err(Status::new(
                6,
                "Application already exists",
                Some("V3-DKcYh"),
            ));
        }
        let mut stamp = self.app_mut(org_id, project_id, app_id)?.stamp.clone();
        self.touch(&mut stamp);
        let app = self.app_mut(org_id, project_id, app_id)?;
        app.name = name.to_owned();
        app.stamp = stamp.clone();
        Ok(stamp)
    }

    /// A new secret for any API app (the server does not check the auth method).
    pub fn regenerate_secret(
        &mut self,
        org_id: &str,
        project_id: &str,
        app_id: &str,
    ) -> Result<(String, Stamp), Status> {
        let app = self.app_mut(org_id, project_id, app_id)?;
        if !matches!(app.kind, Kind::Api { .. }) {
            return Err(Status::new(
                3,
                "Application is not of type API",
                Some("COMMAND-aeH4"),
            ));
        }
        let mut stamp = app.stamp.clone();
        let (secret, hash) = self.new_secret();
        self.touch(&mut stamp);
        let app = self.app_mut(org_id, project_id, app_id)?;
        app.secret_hash = Some(hash);
        app.stamp = stamp.clone();
        Ok((secret, stamp))
    }

    /// Deactivates or reactivates; the state it already has is 9.
    pub fn set_active(
        &mut self,
        org_id: &str,
        project_id: &str,
        app_id: &str,
        active: bool,
    ) -> Result<Stamp, Status> {
        let app = self.app_mut(org_id, project_id, app_id)?;
        if app.active == active {
            return Err(if active {
                Status::new(9, "Application is not inactive", Some("COMMAND-1n8cM"))
            } else {
                Status::new(9, "Application is not active", Some("COMMAND-dsh35"))
            });
        }
        let mut stamp = app.stamp.clone();
        self.touch(&mut stamp);
        let app = self.app_mut(org_id, project_id, app_id)?;
        app.active = active;
        app.stamp = stamp.clone();
        Ok(stamp)
    }

    /// Adds a key to a private-key-jwt app: another app is 9, a date not in the future 3. Returns
    /// the key and its key file (JSON), which is never kept.
    pub fn add_key(
        &mut self,
        org_id: &str,
        project_id: &str,
        app_id: &str,
        expiration: Option<&str>,
    ) -> Result<(SbKey, String), Status> {
        let app = self.app_mut(org_id, project_id, app_id)?;
        if app.kind
            != (Kind::Api {
                private_key_jwt: true,
            })
        {
            return Err(Status::new(
                9,
                "Application does not use private key JWT authentication",
                Some("COMMAND-Fk9sd"),
            ));
        }
        let expiration = match expiration {
            None => NO_EXPIRY.to_owned(),
            Some(text) => {
                let format = time::format_description::well_known::Rfc3339;
                let at = time::OffsetDateTime::parse(text, &format)
                    .map_err(|_| Status::invalid("invalid AddAppKeyRequest.ExpirationDate"))?;
                if at <= time::OffsetDateTime::now_utc() {
                    return Err(Status::new(
                        3,
                        "Expiration date is in the past",
                        Some("AUTHN-dv3t5"),
                    ));
                }
                text.to_owned()
            }
        };
        let (app_key, client_id) = {
            let app = self.app_mut(org_id, project_id, app_id)?;
            (app.id.clone(), app.client_id.clone())
        };
        let key = SbKey {
            id: self.new_id(),
            expiration,
            stamp: self.stamp(),
        };
        let pem = FAKE_KEYS[self.rng.random_range(0..FAKE_KEYS.len())];
        let file = serde_json::json!({
            "type": "application",
            "keyId": key.id,
            "key": pem,
            "appId": app_key,
            "clientId": client_id,
        })
        .to_string();
        self.app_mut(org_id, project_id, app_id)?
            .keys
            .push(key.clone());
        Ok((key, file))
    }

    /// The keys of an app (any kind: an app without keys has none).
    pub fn keys(&self, org_id: &str, project_id: &str, app_id: &str) -> Result<Vec<SbKey>, Status> {
        self.project(org_id, project_id)
            .and_then(|p| p.apps.iter().find(|a| a.id == app_id))
            .map(|a| a.keys.clone())
            .ok_or_else(Status::app_not_existing)
    }

    /// Removes a key; an unknown one is 5.
    pub fn delete_key(
        &mut self,
        org_id: &str,
        project_id: &str,
        app_id: &str,
        key_id: &str,
    ) -> Result<Stamp, Status> {
        let app = self.app_mut(org_id, project_id, app_id)?;
        let before = app.keys.len();
        app.keys.retain(|k| k.id != key_id);
        if app.keys.len() == before {
            return Err(Status::new(5, "Key not found", Some("QUERY-Dgfn3")));
        }
        let mut stamp = app.stamp.clone();
        self.touch(&mut stamp);
        Ok(stamp)
    }

    /// The ids of an app's keys (for tests).
    pub fn key_ids(&self, app_id: &str) -> Vec<String> {
        self.orgs
            .iter()
            .flat_map(|o| &o.projects)
            .flat_map(|p| &p.apps)
            .filter(|a| a.id == app_id)
            .flat_map(|a| a.keys.iter().map(|k| k.id.clone()))
            .collect()
    }

    /// Whether `secret` is the app's current secret (for tests of regenerate).
    pub fn secret_matches(&self, app_id: &str, secret: &str) -> bool {
        let hash = sha256_hex(secret.as_bytes());
        self.orgs
            .iter()
            .flat_map(|o| &o.projects)
            .flat_map(|p| &p.apps)
            .any(|a| a.id == app_id && a.secret_hash.as_deref() == Some(hash.as_str()))
    }

    pub fn app_count(&self) -> usize {
        self.orgs
            .iter()
            .flat_map(|o| &o.projects)
            .map(|p| p.apps.len())
            .sum()
    }

    pub fn sequence(&self) -> u64 {
        self.sequence
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_per_project_and_secrets_only_for_basic() {
        let mut store = ZStore::new(Some(1));
        let p = store.add_project(HOME_ORG_ID, "P");
        let q = store.add_project(HOME_ORG_ID, "Q");
        let basic = Kind::Api {
            private_key_jwt: false,
        };
        let jwt = Kind::Api {
            private_key_jwt: true,
        };
        let (app, secret) = store.add_app(HOME_ORG_ID, &p, "a", basic, None).unwrap();
        assert!(secret.is_some() && app.secret_hash.is_some());
        assert!(store.secret_matches(&app.id, secret.as_deref().unwrap()));
        let err = store.add_app(HOME_ORG_ID, &p, "a", jwt, None).unwrap_err();
        assert_eq!(err.code, 6);
        // Exact match: another case is another name; another project is another scope.
        assert!(
            store
                .add_app(HOME_ORG_ID, &p, "A", jwt, None)
                .unwrap()
                .1
                .is_none()
        );
        assert!(store.add_app(HOME_ORG_ID, &q, "a", basic, None).is_ok());
        // A project of another organisation is "not found" for a create.
        let err = store
            .add_app(PARTNER_ORG_ID, &p, "z", basic, None)
            .unwrap_err();
        assert_eq!(err.code, 9);
    }

    #[test]
    fn rename_and_state_changes_need_a_change() {
        let mut store = ZStore::new(Some(2));
        let p = store.add_project(HOME_ORG_ID, "P");
        let kind = Kind::Api {
            private_key_jwt: false,
        };
        let (a, _) = store.add_app(HOME_ORG_ID, &p, "a", kind, None).unwrap();
        store.add_app(HOME_ORG_ID, &p, "b", kind, None).unwrap();
        assert_eq!(
            store.rename(HOME_ORG_ID, &p, &a.id, "a").unwrap_err().code,
            9
        );
        assert_eq!(
            store.rename(HOME_ORG_ID, &p, &a.id, "b").unwrap_err().code,
            6
        );
        assert!(store.rename(HOME_ORG_ID, &p, &a.id, "c").is_ok());
        assert_eq!(
            store
                .set_active(HOME_ORG_ID, &p, &a.id, true)
                .unwrap_err()
                .code,
            9
        );
        assert!(store.set_active(HOME_ORG_ID, &p, &a.id, false).is_ok());
        assert_eq!(
            store
                .set_active(HOME_ORG_ID, &p, &a.id, false)
                .unwrap_err()
                .code,
            9
        );
        assert_eq!(
            store.rename(HOME_ORG_ID, &p, "nope", "x").unwrap_err().code,
            5
        );
    }
}
