//! Every call and error mapping of the ZITADEL client, over real HTTP against the sandbox in
//! ZITADEL mode on 127.0.0.1: paging, decoding (int64 as text or number, omitted zero values,
//! unknown fields), errors by gRPC code (5, 6, 7, 9, 16, an HTML page, the Connect shape), the
//! organisation header, and faults (lost answers, 500s, 429s).

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod zitadel_common;

use connect_console::api::ErrorKind;
use connect_console::sandbox::zitadel::{HOME_ORG_ID, PARTNER_ORG_ID};
use connect_console::sandbox::{Fault, SandboxConfig};
use connect_console::zitadel::{
    AppKind, AppState, AuthMethod, RenameOutcome, ZitadelApp, outcome_unknown,
};
use serde_json::{Value, json};
use zitadel_common as zc;

const PAYMENTS: &str = "Payments platform";
const TOOLS: &str = "Internal tools";

fn raw_json(status: u16, body: Value) -> Fault {
    Fault::Raw {
        status,
        content_type: "application/json".into(),
        body: body.to_string(),
    }
}

#[tokio::test]
async fn lists_projects_and_every_app_across_pages() {
    let sandbox = zc::demo().await;
    let client = zc::client(&sandbox);
    let projects = client.list_projects().await.unwrap();
    let names: Vec<&str> = projects.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, [PAYMENTS, TOOLS]);
    let payments = &projects[0].id;

    // 15 a page: 15, 15, then a short page of 10 ends it.
    let apps = client
        .clone()
        .with_page_size(15)
        .list_apps(payments)
        .await
        .unwrap();
    assert_eq!(apps.len(), 40);
    let ids: std::collections::HashSet<&str> = apps.iter().map(|a| a.app_id.as_str()).collect();
    assert_eq!(ids.len(), 40);
    assert_eq!(apps[0].name, "billing-dev");
    assert!(apps.iter().any(|a| a.name == "결제 게이트웨이-prod"));
    let inactive = apps
        .iter()
        .filter(|a| a.state == AppState::Inactive)
        .count();
    let jwt = apps
        .iter()
        .filter(|a| a.auth_method == Some(AuthMethod::PrivateKeyJwt))
        .count();
    let basic = apps
        .iter()
        .filter(|a| a.auth_method == Some(AuthMethod::Basic))
        .count();
    assert_eq!((inactive, jwt, basic), (5, 13, 27));
    assert!(apps.iter().all(|a| a.kind == AppKind::Api));

    // 20 a page: two full pages, then the empty page past the end ends it.
    let apps = client
        .clone()
        .with_page_size(20)
        .list_apps(payments)
        .await
        .unwrap();
    assert_eq!(apps.len(), 40);

    // The pages themselves: a short last page has the total, a page past the end has none.
    let last = client.list_apps_page(payments, 30, 15).await.unwrap();
    assert_eq!((last.apps.len(), last.total), (10, Some(40)));
    let past = client.list_apps_page(payments, 40, 15).await.unwrap();
    assert_eq!((past.apps.len(), past.total), (0, None));
    let err = client.list_apps_page(payments, 0, 1001).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Local);
}

#[tokio::test]
async fn wire_format_has_string_int64s_and_omits_zero_values() {
    let sandbox = zc::demo().await;
    let client = zc::client(&sandbox);
    let payments = zc::project_id(&client, PAYMENTS).await;
    let response = zc::raw()
        .post(zc::url(
            &sandbox,
            &format!("projects/{payments}/apps/_search"),
        ))
        .bearer_auth(zc::PAT)
        .json(&json!({"query": {"offset": "0", "limit": 3}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["details"]["totalResult"], "40");
    let first = &body["result"][0];
    assert!(first["details"]["sequence"].is_string(), "{first}");
    // billing-dev is BASIC, the zero value: no authMethodType at all.
    assert_eq!(first["name"], "billing-dev");
    assert!(
        first["apiConfig"].get("authMethodType").is_none(),
        "{first}"
    );
    assert_eq!(
        body["result"][1]["apiConfig"]["authMethodType"],
        "API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT"
    );
    // An empty list has no `result` and no `totalResult`.
    let response = zc::raw()
        .post(zc::url(&sandbox, "projects/404404/apps/_search"))
        .bearer_auth(zc::PAT)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert!(body.get("result").is_none(), "{body}");
    assert!(body["details"].get("totalResult").is_none(), "{body}");
    // Which the client reads as an empty list.
    assert!(client.list_apps("404404").await.unwrap().is_empty());
}

#[tokio::test]
async fn decodes_int64_numbers_enum_numbers_missing_result_and_unknown_fields() {
    let sandbox = zc::demo().await;
    let client = zc::client(&sandbox);
    sandbox.inject(raw_json(
        200,
        json!({
            "details": {"totalResult": 2, "processedSequence": 99, "viewTimestamp": "2025-01-01T00:00:00Z"},
            "result": [
                {"id": "1", "name": "numbers", "state": 2, "details": {"sequence": 7},
                 "apiConfig": {"clientId": "c1", "authMethodType": 1}, "futureField": {"x": [1]}},
                {"id": "2", "name": "defaults", "apiConfig": {"clientId": "c2"}}
            ],
            "somethingNew": true
        }),
    ));
    let page = client.list_apps_page("1", 0, 100).await.unwrap();
    assert_eq!(page.total, Some(2));
    assert_eq!(page.apps[0].state, AppState::Inactive);
    assert_eq!(page.apps[0].auth_method, Some(AuthMethod::PrivateKeyJwt));
    assert_eq!(page.apps[1].state, AppState::Active);
    assert_eq!(page.apps[1].auth_method, Some(AuthMethod::Basic));
    // No `result` key and a string total.
    sandbox.inject(raw_json(200, json!({"details": {"totalResult": "0"}})));
    let page = client.list_apps_page("1", 0, 100).await.unwrap();
    assert!(page.apps.is_empty());
    // A success answer that is not JSON is a one-line decode error.
    sandbox.inject(Fault::Raw {
        status: 200,
        content_type: "text/html".into(),
        body: "<!doctype html><html><body>console</body></html>".into(),
    });
    let err = client.list_projects().await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Decode);
    assert!(err.message.contains("web page"), "{}", err.message);
}

#[tokio::test]
async fn get_by_app_id_and_resolve_by_client_id() {
    let sandbox = zc::demo().await;
    let client = zc::client(&sandbox);
    let payments = zc::project_id(&client, PAYMENTS).await;
    let apps = client.list_apps(&payments).await.unwrap();
    let legacy = &apps[0];
    assert!(legacy.client_id.ends_with("@payments-platform"));
    let got = client.get_app(&payments, &legacy.app_id).await.unwrap();
    assert_eq!(got.name, legacy.name);
    assert_eq!(got.client_id, legacy.client_id);
    // By client id, old and new forms.
    let by_client = client
        .resolve_app(&payments, &legacy.client_id)
        .await
        .unwrap();
    assert_eq!(by_client.app_id, legacy.app_id);
    let modern = &apps[10];
    let by_client = client
        .resolve_app(&payments, &modern.client_id)
        .await
        .unwrap();
    assert_eq!(by_client.app_id, modern.app_id);
    let err = client.resolve_app(&payments, "nope").await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert!(err.message.contains("was not found"), "{}", err.message);
    // Other kinds are listed too: their names are taken in the project.
    let tools = zc::project_id(&client, TOOLS).await;
    let oidc = client
        .find_app_by_name(&tools, "Admin portal (web)")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((oidc.kind, oidc.auth_method), (AppKind::Oidc, None));
}

#[tokio::test]
async fn creates_basic_with_a_secret_and_private_key_jwt_without() {
    let sandbox = zc::demo().await;
    let client = zc::client(&sandbox);
    let tools = zc::project_id(&client, TOOLS).await;
    let basic = client
        .create_api_app(&tools, "  Orders API  ", AuthMethod::Basic)
        .await
        .unwrap();
    assert_eq!(basic.name, "Orders API");
    let secret = basic
        .client_secret
        .as_ref()
        .expect("a BASIC app has a secret");
    assert!(sandbox.zitadel_secret_matches(&basic.app_id, secret.expose()));
    assert!(!format!("{basic:?}").contains(secret.expose()));
    let jwt = client
        .create_api_app(&tools, "Orders worker", AuthMethod::PrivateKeyJwt)
        .await
        .unwrap();
    assert!(jwt.client_secret.is_none());
    assert_ne!(jwt.client_id, basic.client_id);

    // Read back: same fields, and never a secret on the wire.
    let got = client.get_app(&tools, &basic.app_id).await.unwrap();
    assert_eq!(
        got,
        ZitadelApp {
            created: got.created.clone(),
            changed: got.changed.clone(),
            ..basic.app()
        }
    );
    let got = client.get_app(&tools, &jwt.app_id).await.unwrap();
    assert_eq!(got.auth_method, Some(AuthMethod::PrivateKeyJwt));
    for path in [
        format!("projects/{tools}/apps/{}", basic.app_id),
        format!("projects/{tools}/apps/_search"),
    ] {
        let request = if path.ends_with("_search") {
            zc::raw().post(zc::url(&sandbox, &path)).json(&json!({}))
        } else {
            zc::raw().get(zc::url(&sandbox, &path))
        };
        let text = request
            .bearer_auth(zc::PAT)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !text.contains(secret.expose()) && !text.contains("clientSecret"),
            "{path}"
        );
    }

    // Names are checked before sending: 1 to 200 characters.
    let err = client
        .create_api_app(&tools, " ", AuthMethod::Basic)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Local);
    let err = client
        .create_api_app(&tools, &"x".repeat(201), AuthMethod::Basic)
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind, err.parameter()),
        (ErrorKind::Local, Some("name"))
    );
    // The server refuses the same with code 3.
    let response = zc::raw()
        .post(zc::url(&sandbox, &format!("projects/{tools}/apps/api")))
        .bearer_auth(zc::PAT)
        .json(&json!({"name": "x".repeat(201)}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], 3);
}

#[tokio::test]
async fn duplicate_names_are_already_exists_by_code() {
    let sandbox = zc::demo().await;
    let client = zc::client(&sandbox);
    let payments = zc::project_id(&client, PAYMENTS).await;
    let err = client
        .create_api_app(&payments, "billing-dev", AuthMethod::PrivateKeyJwt)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Conflict);
    assert_eq!(err.code.as_deref(), Some("ALREADY_EXISTS"));
    assert_eq!(err.status, Some(409));
    assert!(
        err.message
            .contains("an app with this name already exists in this project")
            || err
                .message
                .contains("An app with this name already exists in this project"),
        "{}",
        err.message
    );
    assert_eq!(err.details.as_ref().unwrap()["id"], "V3-DKcYh");
    // The match is exact: another case is another name. Another project is another scope.
    client
        .create_api_app(&payments, "BILLING-DEV", AuthMethod::Basic)
        .await
        .unwrap();
    let tools = zc::project_id(&client, TOOLS).await;
    client
        .create_api_app(&tools, "billing-dev", AuthMethod::Basic)
        .await
        .unwrap();
    // Renaming onto another app's name is the same error.
    let ledger = client
        .find_app_by_name(&payments, "ledger-dev")
        .await
        .unwrap()
        .unwrap();
    let err = client
        .rename_app(&payments, &ledger.app_id, "billing-dev")
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Conflict);
}

#[tokio::test]
async fn rename_and_the_same_name_is_nothing_to_change() {
    let sandbox = zc::demo().await;
    let client = zc::client(&sandbox);
    let payments = zc::project_id(&client, PAYMENTS).await;
    let app = client
        .find_app_by_name(&payments, "payouts-prod")
        .await
        .unwrap()
        .unwrap();
    let outcome = client
        .rename_app(&payments, &app.app_id, "payouts-production")
        .await
        .unwrap();
    assert_eq!(outcome, RenameOutcome::Renamed);
    assert_eq!(
        client.get_app(&payments, &app.app_id).await.unwrap().name,
        "payouts-production"
    );
    // The server answers 9 "No changes" for this; the client calls it nothing to change.
    let outcome = client
        .rename_app(&payments, &app.app_id, "payouts-production")
        .await
        .unwrap();
    assert_eq!(outcome, RenameOutcome::Unchanged);
    let err = client
        .rename_app(&payments, "404404", "whatever")
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert!(err.message.contains("was not found"), "{}", err.message);
}

#[tokio::test]
async fn regenerates_basic_secrets_and_refuses_key_apps_without_a_request() {
    let sandbox = zc::demo().await;
    let client = zc::client(&sandbox);
    let tools = zc::project_id(&client, TOOLS).await;
    let created = client
        .create_api_app(&tools, "Rotating", AuthMethod::Basic)
        .await
        .unwrap();
    let old = created.client_secret.clone().unwrap();
    let new = client
        .regenerate_client_secret(&tools, &created.app())
        .await
        .unwrap();
    assert_ne!(new.expose(), old.expose());
    assert!(sandbox.zitadel_secret_matches(&created.app_id, new.expose()));
    assert!(!sandbox.zitadel_secret_matches(&created.app_id, old.expose()));

    // A PRIVATE_KEY_JWT app is refused here: the queued fault is still there afterwards, so
    // no request was sent.
    let jwt = client
        .find_app_by_name(&tools, "Batch jobs")
        .await
        .unwrap()
        .unwrap();
    sandbox.inject(raw_json(
        418,
        json!({"code": 3, "message": "this request was sent"}),
    ));
    let err = client
        .regenerate_client_secret(&tools, &jwt)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Local);
    assert!(err.message.contains("signs with keys"), "{}", err.message);
    let next = client.list_projects().await.unwrap_err();
    assert_eq!(next.status, Some(418));
    // So is an OIDC app.
    let oidc = client
        .find_app_by_name(&tools, "Admin portal (web)")
        .await
        .unwrap()
        .unwrap();
    let err = client
        .regenerate_client_secret(&tools, &oidc)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Local);
}

#[tokio::test]
async fn deactivate_and_reactivate_with_their_preconditions() {
    let sandbox = zc::demo().await;
    let client = zc::client(&sandbox);
    let payments = zc::project_id(&client, PAYMENTS).await;
    let app = client
        .find_app_by_name(&payments, "ledger-prod")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(app.state, AppState::Active);
    client.deactivate_app(&payments, &app.app_id).await.unwrap();
    assert_eq!(
        client.get_app(&payments, &app.app_id).await.unwrap().state,
        AppState::Inactive
    );
    let err = client
        .deactivate_app(&payments, &app.app_id)
        .await
        .unwrap_err();
    assert_eq!(err.code.as_deref(), Some("FAILED_PRECONDITION"));
    assert!(
        err.message.ends_with("is already inactive"),
        "{}",
        err.message
    );
    client.reactivate_app(&payments, &app.app_id).await.unwrap();
    let err = client
        .reactivate_app(&payments, &app.app_id)
        .await
        .unwrap_err();
    assert!(
        err.message.ends_with("is already active"),
        "{}",
        err.message
    );
    let err = client
        .deactivate_app(&payments, "404404")
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
}

#[tokio::test]
async fn errors_are_decided_by_code() {
    let sandbox = zc::demo().await;
    let client = zc::client(&sandbox);
    let payments = zc::project_id(&client, PAYMENTS).await;

    // 5: the server's text is an untranslated key; the sentence is ours.
    let err = client.get_app(&payments, "404404").await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::NotFound, Some(404)));
    assert_eq!(
        err.message,
        format!("App 404404 was not found in project {payments}")
    );
    assert_eq!(
        err.details.as_ref().unwrap()["serverMessage"],
        "Errors.App.NotExisting (QUERY-pCP8P)"
    );

    // 16: a token the instance does not know.
    let stranger = zc::client_with(&sandbox, "not-a-sandbox-token", None);
    let err = stranger.list_projects().await.unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::Unauthorized, Some(401)));
    assert!(
        err.message.starts_with("The token was rejected"),
        "{}",
        err.message
    );

    // 7: a read-only token may list but not create.
    let reader = zc::client_with(&sandbox, zc::READONLY_PAT, None);
    assert_eq!(reader.list_apps(&payments).await.unwrap().len(), 40);
    let err = reader
        .create_api_app(&payments, "Nope", AuthMethod::Basic)
        .await
        .unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::Forbidden, Some(403)));
    assert!(
        err.message.starts_with("This token lacks permission"),
        "{}",
        err.message
    );
    assert!(err.message.contains("project.app.write"), "{}", err.message);

    // 9: creating in a project that does not exist.
    let err = client
        .create_api_app("404404", "Nope", AuthMethod::Basic)
        .await
        .unwrap_err();
    assert_eq!((err.kind, err.status), (ErrorKind::NotFound, Some(400)));
    assert_eq!(err.code.as_deref(), Some("FAILED_PRECONDITION"));
    assert!(
        err.message.contains("project 404404 was not found"),
        "{}",
        err.message
    );

    // An HTML error page: one line, without the page.
    sandbox.inject(Fault::Raw {
        status: 502,
        content_type: "text/html".into(),
        body: "<html><head><title>502 Bad Gateway</title></head>\n<body><h1>nginx</h1>\n<script>x()</script></body></html>".into(),
    });
    let once = client
        .clone()
        .with_retry(connect_console::api::RetryPolicy::none());
    let err = once.list_projects().await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Server);
    let line = err.one_line();
    assert!(
        !line.contains('\n') && !line.contains("<h1>") && !line.contains("script"),
        "{line}"
    );
    assert!(line.contains("502"), "{line}");

    // The Connect shape maps by its code name just the same.
    sandbox.inject(raw_json(
        404,
        json!({"code": "not_found", "message": "application not found", "details": [{"type": "x", "value": "AA==", "debug": {}}]}),
    ));
    let err = client.get_app(&payments, "1").await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert_eq!(
        err.message,
        format!("App 1 was not found in project {payments}")
    );
    sandbox.inject(raw_json(
        409,
        json!({"code": "already_exists", "message": "x"}),
    ));
    let err = client
        .create_api_app(&payments, "Fresh", AuthMethod::Basic)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Conflict);
    assert!(err.message.contains("already exists in this project"));

    // Paths: unknown under the gateway is JSON code 5; a wrong method is 405 code 12; outside
    // the gateway Go's plain-text 404.
    let response = zc::raw()
        .post(zc::url(&sandbox, "no/such/call"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"code": 5, "message": "Not Found"})
    );
    let response = zc::raw()
        .delete(zc::url(&sandbox, "projects/_search"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], 12);
    let response = zc::raw()
        .get(format!("{}/elsewhere", sandbox.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(response.text().await.unwrap(), "404 page not found");
}

#[tokio::test]
async fn the_org_header_selects_the_organisation() {
    let sandbox = zc::demo().await;
    let home = zc::client_with(&sandbox, zc::PAT, Some(HOME_ORG_ID));
    let payments = zc::project_id(&home, PAYMENTS).await;
    let partner = zc::client_with(&sandbox, zc::PAT, Some(PARTNER_ORG_ID));
    let projects = partner.list_projects().await.unwrap();
    assert_eq!(projects.len(), 1);
    assert_eq!(projects[0].name, "Partner integration");
    assert_eq!(partner.list_apps(&projects[0].id).await.unwrap().len(), 2);
    // The home organisation's project, seen from the partner organisation: an empty list, a
    // 5 on get and a 9 on create, as on the server.
    assert!(partner.list_apps(&payments).await.unwrap().is_empty());
    let some_app = home.list_apps(&payments).await.unwrap().remove(3);
    let err = partner
        .get_app(&payments, &some_app.app_id)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
    let err = partner
        .create_api_app(&payments, "Cross-org", AuthMethod::Basic)
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind, err.code.as_deref()),
        (ErrorKind::NotFound, Some("FAILED_PRECONDITION"))
    );
    assert!(err.message.contains(PARTNER_ORG_ID), "{}", err.message);
    // An organisation the token has no access to: 7.
    let unknown = zc::client_with(&sandbox, zc::PAT, Some("999999999999999999"));
    let err = unknown.list_projects().await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Forbidden);
    assert!(
        err.message.contains("organisation 999999999999999999"),
        "{}",
        err.message
    );
    // Without the header: the home organisation.
    let default = zc::client(&sandbox);
    assert_eq!(default.list_projects().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_is_found_by_name_exactly_once() {
    let sandbox = zc::demo().await;
    let client = zc::client(&sandbox);
    let tools = zc::project_id(&client, TOOLS).await;
    let before = sandbox.app_count();
    sandbox.inject(Fault::DropAfterCommit);
    let err = client
        .create_api_app(&tools, "Lost answer", AuthMethod::Basic)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Network);
    assert!(outcome_unknown(&err));
    // Not sent again by the client: exactly one app was made.
    assert_eq!(sandbox.app_count(), before + 1);
    // Sending it again is refused...
    let err = client
        .create_api_app(&tools, "Lost answer", AuthMethod::Basic)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Conflict);
    assert!(!outcome_unknown(&err));
    // ...and the name finds exactly one app, whose secret can then be issued.
    let found = client
        .find_app_by_name(&tools, "Lost answer")
        .await
        .unwrap()
        .expect("the app was created");
    let same_name = client
        .list_apps(&tools)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.name == "Lost answer")
        .count();
    assert_eq!(same_name, 1);
    let secret = client
        .regenerate_client_secret(&tools, &found)
        .await
        .unwrap();
    assert!(sandbox.zitadel_secret_matches(&found.app_id, secret.expose()));
    assert_eq!(sandbox.app_count(), before + 1);
}

#[tokio::test]
async fn creates_are_retried_only_when_unsent_and_other_calls_when_retryable() {
    let sandbox = zc::demo().await;
    let client = zc::client(&sandbox);
    let tools = zc::project_id(&client, TOOLS).await;
    let before = sandbox.app_count();
    // A 500 on a create is not retried (its outcome is unknown to a client).
    sandbox.inject(Fault::ServerError);
    let err = client
        .create_api_app(&tools, "After 500", AuthMethod::Basic)
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind, err.code.as_deref()),
        (ErrorKind::Server, Some("INTERNAL"))
    );
    assert!(outcome_unknown(&err));
    assert_eq!(sandbox.app_count(), before);
    // A 429 certainly did nothing: retried after Retry-After.
    sandbox.inject(Fault::TooManyRequests {
        retry_after_secs: 1,
    });
    client
        .create_api_app(&tools, "After 429", AuthMethod::Basic)
        .await
        .unwrap();
    assert_eq!(sandbox.app_count(), before + 1);
    // Reads retry 500s.
    sandbox.inject(Fault::ServerError);
    sandbox.inject(Fault::ServerError);
    assert_eq!(client.list_projects().await.unwrap().len(), 2);
    // A rename whose answer was lost is retried; the retry's "no changes" means it worked.
    let app = client
        .find_app_by_name(&tools, "After 429")
        .await
        .unwrap()
        .unwrap();
    sandbox.inject(Fault::DropAfterCommit);
    let outcome = client
        .rename_app(&tools, &app.app_id, "Renamed after a lost answer")
        .await
        .unwrap();
    assert_eq!(outcome, RenameOutcome::Renamed);
    // Likewise a deactivate.
    sandbox.inject(Fault::DropAfterCommit);
    client.deactivate_app(&tools, &app.app_id).await.unwrap();
    assert_eq!(
        client.get_app(&tools, &app.app_id).await.unwrap().state,
        AppState::Inactive
    );
    // And a regenerate: the secret returned is the one in force.
    sandbox.inject(Fault::DropAfterCommit);
    let resolved = client.get_app(&tools, &app.app_id).await.unwrap();
    let secret = client
        .regenerate_client_secret(&tools, &resolved)
        .await
        .unwrap();
    assert!(sandbox.zitadel_secret_matches(&app.app_id, secret.expose()));
}

#[tokio::test]
async fn random_faults_still_give_exactly_one_app_per_name() {
    let sandbox = zc::start(SandboxConfig {
        fail_rate: 0.2,
        drop_rate: 0.2,
        seed: Some(5),
        ..SandboxConfig::default()
    })
    .await;
    let client = zc::client(&sandbox);
    // The list and lookups retry by themselves; a create is resolved by name as documented.
    let mut project = None;
    for _ in 0..5 {
        if let Ok(projects) = client.list_projects().await {
            project = Some(projects[0].id.clone());
            break;
        }
    }
    let project = project.expect("the projects could be listed");
    let mut unknown_outcomes = 0;
    for i in 0..10 {
        let name = format!("Faulty {i:02}");
        let mut attempts = 0;
        loop {
            attempts += 1;
            assert!(attempts < 20, "{name} never settled");
            match client
                .create_api_app(&project, &name, AuthMethod::Basic)
                .await
            {
                Ok(_) => break,
                Err(e) if e.kind == ErrorKind::Conflict => break,
                Err(e) if outcome_unknown(&e) => {
                    unknown_outcomes += 1;
                    if let Ok(Some(_)) = client.find_app_by_name(&project, &name).await {
                        break;
                    }
                }
                Err(e) => panic!("{name}: {}", e.one_line()),
            }
        }
    }
    assert_eq!(sandbox.app_count(), 10);
    // The seed gives lost answers and 500s on creates, which is what this test is about.
    assert!(unknown_outcomes > 0);
}

#[tokio::test]
async fn debug_output_never_shows_the_token() {
    let sandbox = zc::demo().await;
    let client = zc::client(&sandbox);
    let text = format!("{client:?}");
    assert!(!text.contains(zc::PAT), "{text}");
}

#[tokio::test]
async fn latency_delays_every_request() {
    let sandbox = zc::start(SandboxConfig {
        latency: std::time::Duration::from_millis(60),
        ..SandboxConfig::default()
    })
    .await;
    let client = zc::client(&sandbox);
    let started = std::time::Instant::now();
    client.list_projects().await.unwrap();
    assert!(started.elapsed() >= std::time::Duration::from_millis(60));
}
