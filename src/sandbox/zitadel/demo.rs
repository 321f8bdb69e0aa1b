//! The ZITADEL sandbox's starting data.
//!
//! Without `--demo`: an empty project in each organisation. With it: in the home organisation a
//! "Payments platform" project with 40 API apps (both auth methods, some inactive, three with
//! the old `<number>@<project>` client ids) and an "Internal tools" project with a few apps of
//! which one is OIDC; in the partner organisation a small "Partner integration" project.

use super::store::{HOME_ORG_ID, Kind, PARTNER_ORG_ID, ZStore};

const SERVICES: [&str; 10] = [
    "billing",
    "ledger",
    "payouts",
    "invoices",
    "fraud-check",
    "refunds",
    "webhooks",
    "reports",
    "결제 게이트웨이",
    "請求書サービス",
];
const STAGES: [&str; 4] = ["dev", "test", "staging", "prod"];

/// Demo projects and apps, in a fixed order so tests and screenshots can rely on them.
pub(crate) fn seed_demo(store: &mut ZStore) {
    let payments = store.add_project(HOME_ORG_ID, "Payments platform");
    let mut n = 0;
    for service in SERVICES {
        for stage in STAGES {
            let kind = Kind::Api {
                private_key_jwt: n % 3 == 1,
            };
            let client_id = (n < 3).then(|| format!("{}@payments-platform", store.new_id()));
            let name = format!("{service}-{stage}");
            let created = store.add_app(HOME_ORG_ID, &payments, &name, kind, client_id);
            if let (Ok((app, _)), true) = (created, n % 7 == 5) {
                let _ = store.set_active(HOME_ORG_ID, &payments, &app.id, false);
            }
            n += 1;
        }
    }
    let tools = store.add_project(HOME_ORG_ID, "Internal tools");
    for (name, kind) in [
        (
            "Admin console API",
            Kind::Api {
                private_key_jwt: false,
            },
        ),
        (
            "Batch jobs",
            Kind::Api {
                private_key_jwt: true,
            },
        ),
        ("Admin portal (web)", Kind::Oidc),
    ] {
        let _ = store.add_app(HOME_ORG_ID, &tools, name, kind, None);
    }
    let partner = store.add_project(PARTNER_ORG_ID, "Partner integration");
    for (name, private_key_jwt) in [("Partner API", false), ("Partner reports", true)] {
        let kind = Kind::Api { private_key_jwt };
        let _ = store.add_app(PARTNER_ORG_ID, &partner, name, kind, None);
    }
}

/// Empty projects to work in when there is no demo data.
pub(crate) fn seed_empty(store: &mut ZStore) {
    store.add_project(HOME_ORG_ID, "Sandbox project");
    store.add_project(PARTNER_ORG_ID, "Partner integration");
}

/// Adds `count` BASIC apps named "Customer 00001" ... to the home organisation's first project.
pub(crate) fn seed_generated(store: &mut ZStore, count: usize) {
    let Some(project) = store
        .org(HOME_ORG_ID)
        .and_then(|o| o.projects.first())
        .map(|p| p.id.clone())
    else {
        return;
    };
    let kind = Kind::Api {
        private_key_jwt: false,
    };
    for i in 1..=count {
        let _ = store.add_app(
            HOME_ORG_ID,
            &project,
            &format!("Customer {i:05}"),
            kind,
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_has_two_home_projects_and_forty_mixed_apps() {
        let mut store = ZStore::new(Some(3));
        seed_demo(&mut store);
        let home = store.org(HOME_ORG_ID).unwrap();
        assert_eq!(home.projects.len(), 2);
        let apps = &home.projects[0].apps;
        assert_eq!(apps.len(), 40);
        let jwt = apps
            .iter()
            .filter(|a| {
                a.kind
                    == Kind::Api {
                        private_key_jwt: true,
                    }
            })
            .count();
        assert!((10..20).contains(&jwt), "{jwt}");
        let inactive = apps.iter().filter(|a| !a.active).count();
        assert!((3..10).contains(&inactive), "{inactive}");
        assert!(apps[0].client_id.ends_with("@payments-platform"));
        assert!(apps.iter().any(|a| a.name == "결제 게이트웨이-prod"));
    }
}
