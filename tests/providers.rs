//! The provider catalog with activation over HTTP against the sandbox: the raw contract, the
//! client's tolerant decoding, and `apps providers` on the command line.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use connect_console::api::{ActivationStatus, ErrorKind, ProviderStatus};
use connect_console::sandbox::RunningSandbox;
use serde_json::Value;

async fn get_raw(sandbox: &RunningSandbox, path: &str) -> (u16, Value) {
    let response = common::raw()
        .get(common::url(sandbox, path))
        .bearer_auth(common::KEY)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn sandbox_serves_the_catalog_with_activation_only_when_asked() {
    let (sandbox, apps) = common::demo_sandbox().await;
    let id = &apps[0].client_id;
    let (status, plain) = get_raw(&sandbox, &format!("apps/{id}/providers")).await;
    assert_eq!(status, 200);
    let plain = plain.as_array().unwrap();
    assert!(plain.len() >= 10, "{}", plain.len());
    assert!(
        plain
            .iter()
            .all(|p| p.get("activation").is_none() && p.get("status").is_none())
    );
    assert!(
        plain
            .iter()
            .all(|p| p["id"].is_string() && p["countries"].is_array())
    );

    for query in [
        "include=activation",
        "include=logo&include=activation",
        "include=other,activation",
    ] {
        let (_, list) = get_raw(&sandbox, &format!("apps/{id}/providers?{query}")).await;
        let statuses: BTreeSet<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["status"].as_str().unwrap())
            .collect();
        assert_eq!(
            statuses,
            BTreeSet::from([
                "activated",
                "activation_processing",
                "activation_requested",
                "not_activated",
                "rejected"
            ]),
            "{query}"
        );
    }
    let (_, unknown) = get_raw(&sandbox, &format!("apps/{id}/providers?include=nothing")).await;
    assert!(
        unknown[0].get("activation").is_none(),
        "unknown include values are ignored"
    );

    let (status, body) = get_raw(&sandbox, "apps/NOPE0000/providers").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "RESOURCE_NOT_FOUND");
}

#[tokio::test]
async fn client_decodes_every_activation_state_and_what_is_still_required() {
    let (sandbox, apps) = common::demo_sandbox().await;
    let client = common::client(&sandbox);
    let providers = client.list_providers(&apps[0].client_id).await.unwrap();
    let by_id = |id: &str| providers.iter().find(|p| p.id == id).unwrap();

    let states: BTreeSet<ActivationStatus> = providers
        .iter()
        .map(ProviderStatus::activation_status)
        .collect();
    for state in [
        ActivationStatus::Activated,
        ActivationStatus::Requested,
        ActivationStatus::Processing,
        ActivationStatus::Rejected,
        ActivationStatus::NotActivated,
    ] {
        assert!(states.contains(&state), "{state:?} missing from {states:?}");
    }
    assert!(
        !states
            .iter()
            .any(|s| matches!(s, ActivationStatus::Other(_)))
    );

    // Passport is on by default and activated; its catalog fields decode.
    let passport = by_id("passport");
    assert_eq!(passport.activation_status(), ActivationStatus::Activated);
    assert_eq!(passport.is_active, Some(true));
    assert!(!passport.countries.is_empty() && !passport.loa.is_empty());
    assert!(passport.still_required().is_empty());
    // Requested: everything submitted, nothing left to do but wait.
    let mitid = by_id("mitid");
    assert_eq!(mitid.activation_status(), ActivationStatus::Requested);
    assert!(mitid.still_required().is_empty());
    assert!(
        mitid
            .activation
            .as_ref()
            .unwrap()
            .id
            .as_deref()
            .unwrap()
            .starts_with("act_")
    );
    // Rejected: the reason is kept, and the field to correct is required again.
    let singpass = by_id("singpass");
    assert_eq!(singpass.activation_status(), ActivationStatus::Rejected);
    assert_eq!(singpass.need_action, Some(true));
    let missing: Vec<&str> = singpass
        .still_required()
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(missing, ["registrationNumber"]);
    assert!(singpass.activation.as_ref().unwrap().extra["rejectionReason"].is_string());
    // Not activated with a draft: two of four answers given.
    let spid = by_id("spid-ig");
    assert_eq!(spid.activation_status(), ActivationStatus::NotActivated);
    assert_eq!(spid.still_required().len(), 2);
    // Processing under contract.
    assert_eq!(
        by_id("ftn").activation_status(),
        ActivationStatus::Processing
    );

    // Another app has other states, and an unknown app is a sentence.
    let second = client.list_providers(&apps[1].client_id).await.unwrap();
    assert_eq!(
        second
            .iter()
            .find(|p| p.id == "mitid")
            .unwrap()
            .activation_status(),
        ActivationStatus::Rejected
    );
    let err = client.list_providers("NOPE0000").await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
}

#[tokio::test]
async fn cli_lists_providers_with_their_activation_as_a_table_and_as_json() {
    let (sandbox, apps) = common::demo_sandbox().await;
    let id = apps[0].client_id.as_str();
    let output = common::run_cli(Some(&sandbox), &["apps", "providers", id]).await;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("ID"), "{text}");
    for word in [
        "activated",
        "requested",
        "processing",
        "rejected",
        "not activated",
        "Company registration number",
        "Singpass",
        "DK",
    ] {
        assert!(text.contains(word), "{word} in {text}");
    }
    let passport = text.lines().find(|l| l.starts_with("passport")).unwrap();
    assert!(passport.contains("yes"), "enabled: {passport}");

    let output = common::run_cli(Some(&sandbox), &["apps", "providers", id, "--json"]).await;
    assert!(output.status.success());
    let list: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        list.iter()
            .all(|p| p["status"].is_string() && p["activation"].is_object())
    );

    let output = common::run_cli(Some(&sandbox), &["apps", "providers", "NOPE0000"]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not found"));
}
