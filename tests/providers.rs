//! The provider catalog with activation over HTTP against the sandbox: the raw contract, the
//! client's tolerant decoding, and `apps providers` on the command line.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

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
