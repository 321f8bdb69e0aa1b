//! `ZitadelClient`: the management API v1 calls for projects and API apps, with retries and
//! paging.
//!
//! Every call goes through [`ZitadelClient::execute`], which retries by the same
//! [`RetryPolicy`] as the Hopae client and logs method, path, status and duration at debug
//! level: never a body or a header, since both can hold a secret. ZITADEL has no idempotency
//! keys, so a create is sent again only when it certainly did not reach the server.
//!
//! The transport limits are the Hopae client's (`crate::api`'s): no redirect is followed, an
//! attempt fails after 10 s without a byte, a whole call after 30 s (retries included), and an
//! answer over 16 MB is refused while reading. The HTTP client is the one both backends build
//! (`backends::net`): the same proxy, trust and sentences for what failed on the way.

mod keys;

use std::collections::HashSet;
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::Method;
use reqwest::header::{ACCEPT, CONTENT_TYPE, RETRY_AFTER};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::connection::ZitadelConnection;
use super::error::{
    Call, FAILED_PRECONDITION, Op, certainly_unsent, from_response, network_error, outcome_unknown,
    truncate,
};
use super::model::{
    AppKind, AppPage, AppState, AuthMethod, CreatedApp, RenameOutcome, ZitadelApp, ZitadelProject,
};
use super::wire::{
    AddApiAppRequest, AddApiAppResponse, GetAppResponse, ListQuery, ListRequest, ListResponse,
    NameQuery, RegenerateSecretResponse, SearchQuery, UpdateAppRequest, WireApp, WireProject,
};
use crate::api::{
    ApiError, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_DEADLINE, ErrorKind, MAX_DEADLINE, RetryPolicy,
    decode_body, header_str, host_and_port, parse_retry_after, read_body, redirect_error, seconds,
};
use crate::backends::listing::{self, Budget, MAX_LISTED_APPS};
use crate::backends::net::{self, Http};
use crate::secret::Secret;

/// Largest page ZITADEL serves (a larger `limit` is refused with code 3).
pub const MAX_PAGE_LIMIT: usize = 1000;
/// Most pages one listing reads, so that a server that never sends a short page cannot keep
/// the client reading forever (10 million apps at the largest page).
pub const MAX_PAGES: usize = 10_000;
/// Longest app name ZITADEL accepts, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest id put into a path (ZITADEL ids are at most 200 characters).
const MAX_ID_CHARS: usize = 200;

/// How a call may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Retry {
    /// Reads, and writes whose repetition is harmless or detectable.
    Safe,
    /// Creates: only when the request certainly did not reach the server.
    UnsentOnly,
}

/// A raw successful answer.
struct RawResponse {
    body: bytes::Bytes,
    request_id: Option<String>,
}

/// A failed call, and whether an earlier attempt may have done the write already.
struct Failure {
    error: ApiError,
    after_unknown_outcome: bool,
}

/// The ZITADEL management API client. Cheap to clone; clones share one connection pool.
#[derive(Clone, Debug)]
pub struct ZitadelClient {
    http: Http,
    connection: ZitadelConnection,
    /// `host[:port]` of the instance, for messages.
    host: String,
    retry: RetryPolicy,
    page_size: usize,
    deadline: Duration,
}

impl ZitadelClient {
    pub fn new(connection: ZitadelConnection) -> Result<Self, ApiError> {
        let http = net::build_http(
            connection.origin(),
            DEFAULT_ATTEMPT_TIMEOUT,
            connection.ca_file(),
        )?;
        Ok(Self {
            http,
            host: host_and_port(connection.origin()),
            connection,
            retry: RetryPolicy::default(),
            page_size: MAX_PAGE_LIMIT,
            deadline: DEFAULT_DEADLINE,
        })
    }

    /// The instance's host, as messages name it.
    fn host(&self) -> &str {
        self.connection
            .origin()
            .host_str()
            .unwrap_or("the instance")
    }

    /// How long a whole listing may take: five minutes, or the deadline if longer.
    fn listing_time(&self) -> Duration {
        listing::listing_time(self.deadline)
    }

    /// The same client giving up on a whole call, retries included, after `deadline` (30 s by
    /// default).
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline.min(MAX_DEADLINE);
        self
    }

    /// The same client with another retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The same client reading lists `size` rows at a time (1 to 1,000; default 1,000).
    pub fn with_page_size(mut self, size: usize) -> Self {
        self.page_size = size.clamp(1, MAX_PAGE_LIMIT);
        self
    }

    pub fn connection(&self) -> &ZitadelConnection {
        &self.connection
    }

    /// Every project the organisation owns, in the server's order.
    pub async fn list_projects(&self) -> Result<Vec<ZitadelProject>, ApiError> {
        let call = self.call(Op::ListProjects, "", "");
        let budget = Mutex::new(Budget::new(self.host()));
        let pages = read_all_pages(self.page_size, |offset| {
            let (call, budget) = (&call, &budget);
            async move {
                let (page, bytes): (ListResponse<WireProject>, _) = self
                    .search(&["projects", "_search"], offset, self.page_size, None, call)
                    .await?;
                charge(budget, bytes)?;
                Ok(page
                    .result
                    .into_iter()
                    .map(WireProject::into_project)
                    .collect())
            }
        });
        listing::within(self.host(), self.listing_time(), pages).await
    }

    /// One page of a project's apps (`limit` 1 to 1,000). A page past the end is empty and
    /// has no total. A project that does not exist (or belongs to another organisation) reads
    /// as empty, as on the server.
    pub async fn list_apps_page(
        &self,
        project_id: &str,
        offset: usize,
        limit: usize,
    ) -> Result<AppPage, ApiError> {
        if !(1..=MAX_PAGE_LIMIT).contains(&limit) {
            return Err(ApiError::invalid_worded("limit", || {
                crate::tr!(
                    "zitadel-page-size",
                    max = MAX_PAGE_LIMIT.to_string(),
                    limit = limit.to_string()
                )
            }));
        }
        let project = path_id("project", project_id)?;
        let call = self.call(Op::ListApps, project, "");
        let (page, _): (ListResponse<WireApp>, _) = self
            .search(
                &["projects", project, "apps", "_search"],
                offset,
                limit,
                None,
                &call,
            )
            .await?;
        Ok(AppPage {
            total: page.details.total_result,
            apps: page.result.into_iter().map(WireApp::into_app).collect(),
        })
    }

    /// Every app of a project (of every kind, since names are unique across them), page by
    /// page until a page is short or empty.
    pub async fn list_apps(&self, project_id: &str) -> Result<Vec<ZitadelApp>, ApiError> {
        self.list_apps_matching(project_id, None).await
    }

    /// The app with exactly this name in the project, if any (names are unique per project).
    /// This is how a create whose answer was lost is resolved: see
    /// [`ZitadelClient::create_api_app`].
    pub async fn find_app_by_name(
        &self,
        project_id: &str,
        name: &str,
    ) -> Result<Option<ZitadelApp>, ApiError> {
        let name = validate_app_name(name).map_err(|m| ApiError::invalid_parameter("name", m))?;
        let query = SearchQuery {
            name_query: NameQuery {
                name: name.clone(),
                method: "TEXT_QUERY_METHOD_EQUALS",
            },
        };
        let apps = self.list_apps_matching(project_id, Some(query)).await?;
        // The server's match is exact; checked again in case a server ignores the query.
        Ok(apps.into_iter().find(|app| app.name == name))
    }

    async fn list_apps_matching(
        &self,
        project_id: &str,
        query: Option<SearchQuery>,
    ) -> Result<Vec<ZitadelApp>, ApiError> {
        let project = path_id("project", project_id)?;
        let call = self.call(Op::ListApps, project, "");
        let query = &query;
        let budget = Mutex::new(Budget::new(self.host()));
        let pages = read_all_pages(self.page_size, |offset| {
            let (call, budget) = (&call, &budget);
            async move {
                let (page, bytes): (ListResponse<WireApp>, _) = self
                    .search(
                        &["projects", project, "apps", "_search"],
                        offset,
                        self.page_size,
                        query.as_ref(),
                        call,
                    )
                    .await?;
                charge(budget, bytes)?;
                Ok(page.result.into_iter().map(WireApp::into_app).collect())
            }
        });
        listing::within(self.host(), self.listing_time(), pages).await
    }

    /// One app by its app id.
    pub async fn get_app(&self, project_id: &str, app_id: &str) -> Result<ZitadelApp, ApiError> {
        let project = path_id("project", project_id)?;
        let app = path_id("app", app_id)?;
        let call = self.call(Op::GetApp, project, app);
        let raw = self
            .execute(
                Method::GET,
                &["projects", project, "apps", app],
                None,
                &call,
                Retry::Safe,
            )
            .await
            .map_err(|f| f.error)?;
        let response: GetAppResponse = decode(&raw)?;
        Ok(response.app.into_app())
    }

    /// The app whose app id or client id is `id`: one GET by app id, then a scan of the
    /// project's apps for the client id.
    pub async fn resolve_app(&self, project_id: &str, id: &str) -> Result<ZitadelApp, ApiError> {
        let wanted = path_id("app", id)?;
        match self.get_app(project_id, wanted).await {
            Ok(app) => return Ok(app),
            Err(e) if e.kind == ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        let apps = self.list_apps(project_id).await?;
        apps.into_iter()
            .find(|app| app.client_id == wanted || app.app_id == wanted)
            .ok_or_else(|| {
                let app = truncate(wanted, 60);
                let project = truncate(project_id.trim(), 60);
                ApiError::worded(ErrorKind::NotFound, || {
                    crate::tr!(
                        "zitadel-app-not-found-by-either-id",
                        app = app.as_str(),
                        project = project.as_str()
                    )
                })
            })
    }

    /// Creates an API app; only [`AuthMethod::Basic`] gets a secret, shown in this answer only.
    ///
    /// ZITADEL takes no idempotency key, so the create is sent again only when it certainly
    /// did not reach the server (no connection, or 429). When it fails with an unknown outcome
    /// ([`super::outcome_unknown`]: the answer was lost, a 5xx, an unreadable answer), the app
    /// may exist: the caller resolves it with [`ZitadelClient::find_app_by_name`] (names are
    /// unique per project). Sending the create again instead answers "already exists" if the
    /// first one went through. An app found that way was created without showing its secret:
    /// regenerate it ([`ZitadelClient::regenerate_client_secret`]) if the caller owns the app.
    pub async fn create_api_app(
        &self,
        project_id: &str,
        name: &str,
        auth_method: AuthMethod,
    ) -> Result<CreatedApp, ApiError> {
        let name = validate_app_name(name).map_err(|m| ApiError::invalid_parameter("name", m))?;
        let project = path_id("project", project_id)?;
        let body = encode(&AddApiAppRequest {
            name: &name,
            auth_method_type: auth_method_wire_name(auth_method),
        })?;
        let call = self.call(Op::CreateApp, project, "");
        let raw = self
            .execute(
                Method::POST,
                &["projects", project, "apps", "api"],
                Some(body),
                &call,
                Retry::UnsentOnly,
            )
            .await
            .map_err(|f| f.error)?;
        let response: AddApiAppResponse = decode(&raw)?;
        let client_secret = match auth_method {
            AuthMethod::Basic => response.client_secret.filter(|s| !s.is_empty()),
            // Such an app authenticates with keys; a secret would only mislead.
            AuthMethod::PrivateKeyJwt => None,
        };
        Ok(CreatedApp {
            app_id: response.app_id,
            client_id: response.client_id,
            name,
            state: AppState::Active,
            auth_method,
            client_secret,
        })
    }

    /// Renames an app. Renaming to the name it already has is [`RenameOutcome::Unchanged`]
    /// (ZITADEL answers 9 FAILED_PRECONDITION for it), not a failure.
    pub async fn rename_app(
        &self,
        project_id: &str,
        app_id: &str,
        name: &str,
    ) -> Result<RenameOutcome, ApiError> {
        let name = validate_app_name(name).map_err(|m| ApiError::invalid_parameter("name", m))?;
        let project = path_id("project", project_id)?;
        let app = path_id("app", app_id)?;
        let body = encode(&UpdateAppRequest { name: &name })?;
        let call = self.call(Op::RenameApp, project, app);
        match self
            .execute(
                Method::PUT,
                &["projects", project, "apps", app],
                Some(body),
                &call,
                Retry::Safe,
            )
            .await
        {
            Ok(_) => Ok(RenameOutcome::Renamed),
            // After a lost answer, "no changes" means the first attempt did it.
            Err(f) if is_precondition(&f.error) && f.after_unknown_outcome => {
                Ok(RenameOutcome::Renamed)
            }
            Err(f) if is_precondition(&f.error) => Ok(RenameOutcome::Unchanged),
            Err(f) => Err(f.error),
        }
    }

    /// Issues a new client secret for a BASIC API app; the old one stops working at once. Any
    /// other app is refused here, without a request: a PRIVATE_KEY_JWT app signs with keys
    /// (the server would issue a secret it never uses). Retrying after a lost answer is safe:
    /// the secret returned is the one in force.
    pub async fn regenerate_client_secret(
        &self,
        project_id: &str,
        app: &ZitadelApp,
    ) -> Result<Secret, ApiError> {
        if app.kind != AppKind::Api {
            return Err(ApiError::local_worded(|| {
                crate::tr!(
                    "zitadel-secret-not-api-app",
                    label = app_label(app),
                    kind = app.kind.label()
                )
            }));
        }
        match app.auth_method {
            Some(AuthMethod::Basic) => {}
            Some(AuthMethod::PrivateKeyJwt) => {
                return Err(ApiError::local_worded(|| {
                    crate::tr!("zitadel-secret-key-app", label = app_label(app))
                }));
            }
            None => {
                return Err(ApiError::local_worded(|| {
                    crate::tr!("zitadel-secret-unknown-method", label = app_label(app))
                }));
            }
        }
        let project = path_id("project", project_id)?;
        let id = path_id("app", &app.app_id)?;
        let call = self.call(Op::RegenerateSecret, project, id);
        let raw = self
            .execute(
                Method::POST,
                &[
                    "projects",
                    project,
                    "apps",
                    id,
                    "api_config",
                    "_generate_client_secret",
                ],
                Some(b"{}".to_vec()),
                &call,
                Retry::Safe,
            )
            .await
            .map_err(|f| f.error)?;
        let response: RegenerateSecretResponse = decode(&raw)?;
        response
            .client_secret
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                ApiError::worded(ErrorKind::Decode, || crate::tr!("zitadel-no-new-secret"))
            })
    }

    /// Deactivates an app: it stops accepting logins until reactivated.
    pub async fn deactivate_app(&self, project_id: &str, app_id: &str) -> Result<(), ApiError> {
        self.set_state(project_id, app_id, Op::DeactivateApp, "_deactivate")
            .await
    }

    /// Reactivates a deactivated app.
    pub async fn reactivate_app(&self, project_id: &str, app_id: &str) -> Result<(), ApiError> {
        self.set_state(project_id, app_id, Op::ReactivateApp, "_reactivate")
            .await
    }

    async fn set_state(
        &self,
        project_id: &str,
        app_id: &str,
        op: Op,
        action: &str,
    ) -> Result<(), ApiError> {
        let project = path_id("project", project_id)?;
        let app = path_id("app", app_id)?;
        let call = self.call(op, project, app);
        match self
            .execute(
                Method::POST,
                &["projects", project, "apps", app, action],
                Some(b"{}".to_vec()),
                &call,
                Retry::Safe,
            )
            .await
        {
            Ok(_) => Ok(()),
            // "Already (in)active" after a lost answer: the first attempt did it.
            Err(f) if is_precondition(&f.error) && f.after_unknown_outcome => Ok(()),
            Err(f) => Err(f.error),
        }
    }

    fn call<'a>(&'a self, op: Op, project: &'a str, app: &'a str) -> Call<'a> {
        Call {
            op,
            project,
            app,
            org: self.connection.org_id(),
        }
    }

    /// One `_search` page.
    async fn search<T: DeserializeOwned>(
        &self,
        segments: &[&str],
        offset: usize,
        limit: usize,
        query: Option<&SearchQuery>,
        call: &Call<'_>,
    ) -> Result<(ListResponse<T>, usize), ApiError> {
        let request = ListRequest {
            query: ListQuery {
                offset: offset.to_string(),
                limit: u32::try_from(limit).unwrap_or(u32::MAX),
                asc: true,
            },
            queries: query.cloned().into_iter().collect(),
        };
        let raw = self
            .execute(
                Method::POST,
                segments,
                Some(encode(&request)?),
                call,
                Retry::Safe,
            )
            .await
            .map_err(|f| f.error)?;
        Ok((decode(&raw)?, raw.body.len()))
    }

    /// Sends one request, retrying by the policy and the call's retry rule.
    async fn execute(
        &self,
        method: Method,
        segments: &[&str],
        body: Option<Vec<u8>>,
        call: &Call<'_>,
        retry: Retry,
    ) -> Result<RawResponse, Failure> {
        let mut url = self.connection.management_url().clone();
        match url.path_segments_mut() {
            Ok(mut path) => {
                path.pop_if_empty().extend(segments);
            }
            Err(()) => {
                return Err(Failure {
                    error: ApiError::local_worded(|| crate::tr!("zitadel-address-no-path")),
                    after_unknown_outcome: false,
                });
            }
        }
        let deadline = tokio::time::Instant::now() + self.deadline;
        let attempts = self.attempts(&method, &url, body.as_deref(), call, retry);
        match tokio::time::timeout_at(deadline, attempts).await {
            Ok(result) => result,
            Err(_) => Err(Failure {
                error: ApiError::worded(ErrorKind::Timeout, || {
                    crate::tr!(
                        "zitadel-deadline-passed",
                        host = self.host.as_str(),
                        wait = seconds(self.deadline)
                    )
                }),
                // Cut in the middle of an attempt: a write may have happened.
                after_unknown_outcome: method != Method::GET,
            }),
        }
    }

    /// The attempts of one call, by the retry policy and the call's retry rule.
    async fn attempts(
        &self,
        method: &Method,
        url: &url::Url,
        body: Option<&[u8]>,
        call: &Call<'_>,
        retry: Retry,
    ) -> Result<RawResponse, Failure> {
        let mut attempt = 1;
        let mut after_unknown_outcome = false;
        loop {
            let error = match self.attempt(method, url, body, call).await {
                Ok(raw) => return Ok(raw),
                Err(error) => error,
            };
            let may_retry = retry == Retry::Safe || certainly_unsent(&error);
            match may_retry
                .then(|| self.retry.delay_after(attempt, &error))
                .flatten()
            {
                Some(delay) => {
                    tracing::debug!(
                        %method, path = url.path(), attempt, delay_ms = delay.as_millis() as u64,
                        kind = ?error.kind, "retrying"
                    );
                    after_unknown_outcome |= outcome_unknown(&error);
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                None => {
                    return Err(Failure {
                        error,
                        after_unknown_outcome,
                    });
                }
            }
        }
    }

    async fn attempt(
        &self,
        method: &Method,
        url: &url::Url,
        body: Option<&[u8]>,
        call: &Call<'_>,
    ) -> Result<RawResponse, ApiError> {
        let started = Instant::now();
        let mut request = self
            .http
            .client()
            .request(method.clone(), url.clone())
            .bearer_auth(self.connection.pat().expose())
            .header(ACCEPT, "application/json");
        if let Some(org) = self.connection.org_id() {
            request = request.header("x-zitadel-orgid", org);
        }
        if let Some(body) = body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.to_vec());
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) => match self.http.failure(&e, url).await {
                Some(error) => return Err(error),
                None => return Err(network_error(&e, &self.host)),
            },
        };
        let status = response.status();
        let headers = response.headers().clone();
        let request_id = header_str(&headers, "x-request-id");
        if status.is_redirection() {
            tracing::debug!(%method, path = url.path(), status = status.as_u16(), "redirect refused");
            let mut error = redirect_error(&self.host, status, &headers, url);
            error.request_id = request_id;
            return Err(error);
        }
        // A connection dropped mid-body is a lost answer: the write may have happened.
        let body = read_body(response, &self.host, |e| network_error(e, &self.host))
            .await
            .map_err(|mut error| {
                error.request_id.clone_from(&request_id);
                error
            })?;
        tracing::debug!(
            %method, path = url.path(), status = status.as_u16(),
            duration_ms = started.elapsed().as_millis() as u64,
            "zitadel call"
        );
        if !status.is_success() {
            let retry_after =
                header_str(&headers, RETRY_AFTER.as_str()).and_then(|v| parse_retry_after(&v));
            return Err(from_response(
                status.as_u16(),
                &body,
                request_id,
                retry_after,
                call,
            ));
        }
        Ok(RawResponse { body, request_id })
    }
}

/// Reads pages from offset 0 until one is short or empty. Rows seen on an earlier page are
/// dropped (pages can overlap when rows are added while reading: the v1 list has no sort
/// order). Bounded: at most [`MAX_PAGES`] pages, and a full page that brings nothing new ends
/// it with an error (a server that ignores the offset would otherwise be read forever).
async fn read_all_pages<T, F, Fut>(page_size: usize, mut fetch: F) -> Result<Vec<T>, ApiError>
where
    T: PageItem,
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = Result<Vec<T>, ApiError>>,
{
    let mut items: Vec<T> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut offset = 0;
    for _ in 0..MAX_PAGES {
        let page = fetch(offset).await?;
        let count = page.len();
        offset += count;
        let before = items.len();
        for item in page {
            if seen.insert(item.key().to_owned()) {
                items.push(item);
            }
        }
        if count < page_size {
            return Ok(items);
        }
        if items.len() > MAX_LISTED_APPS {
            return Err(ApiError::worded(ErrorKind::Protocol, || {
                crate::tr!("zitadel-too-many-rows", max = MAX_LISTED_APPS)
            }));
        }
        if items.len() == before {
            return Err(ApiError::worded(ErrorKind::Decode, || {
                crate::tr!("zitadel-same-page")
            }));
        }
    }
    Err(ApiError::worded(ErrorKind::Decode, || {
        crate::tr!(
            "zitadel-endless-pages",
            pages = MAX_PAGES.to_string(),
            size = page_size.to_string()
        )
    }))
}

/// Counts a page's bytes against its listing's budget.
fn charge(budget: &Mutex<Budget>, bytes: usize) -> Result<(), ApiError> {
    match budget.lock() {
        Ok(mut budget) => budget.charge(bytes),
        Err(_) => Err(ApiError::local_worded(|| {
            crate::tr!("zitadel-listing-failed-earlier")
        })),
    }
}

/// What identifies a row across pages.
trait PageItem {
    fn key(&self) -> &str;
}

impl PageItem for ZitadelApp {
    fn key(&self) -> &str {
        &self.app_id
    }
}

impl PageItem for ZitadelProject {
    fn key(&self) -> &str {
        &self.id
    }
}

/// Checks an app name by ZITADEL's rule (1 to 200 characters) and ours (no line breaks, no
/// blank). Returns it trimmed.
pub fn validate_app_name(name: &str) -> Result<String, String> {
    crate::api::check_app_name(name, MAX_NAME_CHARS)
}

/// An id checked for use as one path segment (it is percent-encoded when sent).
fn path_id<'a>(what: &str, id: &'a str) -> Result<&'a str, ApiError> {
    let id = id.trim();
    let valid = !id.is_empty()
        && id != "."
        && id != ".."
        && id.chars().count() <= MAX_ID_CHARS
        && !id.chars().any(char::is_control);
    if valid {
        Ok(id)
    } else {
        let shown = truncate(id, 40);
        Err(ApiError::invalid_worded(what, || {
            let kind = match what {
                "project" => crate::tr!("zitadel-id-of-project"),
                "app" => crate::tr!("zitadel-id-of-app"),
                "key" => crate::tr!("zitadel-id-of-key"),
                other => other.to_owned(),
            };
            crate::tr!("zitadel-not-an-id", id = shown.as_str(), kind = kind)
        }))
    }
}

/// `App 123` or `App "billing"`, in the calling thread's language.
fn app_label(app: &ZitadelApp) -> String {
    if app.name.is_empty() {
        crate::tr!("zitadel-app-label-id", id = app.app_id.as_str())
    } else {
        crate::tr!("zitadel-app-label-name", name = truncate(&app.name, 60))
    }
}

fn is_precondition(error: &ApiError) -> bool {
    error.code.as_deref() == Some(FAILED_PRECONDITION)
}

fn decode<T: DeserializeOwned>(raw: &RawResponse) -> Result<T, ApiError> {
    decode_body(&raw.body).map_err(|mut e| {
        if e.request_id.is_none() {
            e.request_id.clone_from(&raw.request_id);
        }
        e
    })
}

fn encode<T: Serialize>(body: &T) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(body).map_err(|e| {
        ApiError::local_worded(|| crate::tr!("hopae-encode-failed", error = e.to_string()))
    })
}

/// The auth method's enum name on the wire.
fn auth_method_wire_name(method: AuthMethod) -> &'static str {
    match method {
        AuthMethod::Basic => "API_AUTH_METHOD_TYPE_BASIC",
        AuthMethod::PrivateKeyJwt => "API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(id: &str) -> ZitadelApp {
        ZitadelApp {
            app_id: id.into(),
            client_id: format!("c{id}"),
            name: format!("n{id}"),
            state: AppState::Active,
            kind: AppKind::Api,
            auth_method: Some(AuthMethod::Basic),
            created: None,
            changed: None,
        }
    }

    #[test]
    fn names_follow_zitadels_rule() {
        assert_eq!(validate_app_name("  billing ").unwrap(), "billing");
        assert!(validate_app_name(" ").is_err());
        assert!(validate_app_name(&"가".repeat(200)).is_ok());
        assert!(validate_app_name(&"가".repeat(201)).is_err());
        assert!(validate_app_name("a\tb").is_err());
    }

    #[test]
    fn ids_stay_one_path_segment() {
        assert!(path_id("app", "..").is_err());
        assert!(path_id("app", " ").is_err());
        assert!(path_id("app", "a\nb").is_err());
        assert_eq!(path_id("app", " 123@proj ").unwrap(), "123@proj");
    }

    fn block_on<T>(future: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn paging_stops_on_a_short_or_empty_page() {
        let all: Vec<ZitadelApp> = (0..7).map(|i| app(&i.to_string())).collect();
        let requested = std::sync::Mutex::new(Vec::new());
        let got = block_on(read_all_pages(3, |offset| {
            requested.lock().unwrap().push(offset);
            let page: Vec<ZitadelApp> = all.iter().skip(offset).take(3).cloned().collect();
            async move { Ok(page) }
        }))
        .unwrap();
        assert_eq!(got.len(), 7);
        assert_eq!(*requested.lock().unwrap(), vec![0, 3, 6]);
        // Exactly full pages: the empty page past the end ends it.
        let six = &all[..6];
        requested.lock().unwrap().clear();
        let got = block_on(read_all_pages(3, |offset| {
            requested.lock().unwrap().push(offset);
            let page: Vec<ZitadelApp> = six.iter().skip(offset).take(3).cloned().collect();
            async move { Ok(page) }
        }))
        .unwrap();
        assert_eq!(got.len(), 6);
        assert_eq!(*requested.lock().unwrap(), vec![0, 3, 6]);
    }

    #[test]
    fn a_lying_server_cannot_keep_the_loop_going() {
        // The same full page whatever the offset.
        let err = block_on(read_all_pages(2, |_| async {
            Ok(vec![app("1"), app("2")])
        }))
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Decode);
        // New rows forever: stopped after MAX_PAGES pages.
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let err = block_on(read_all_pages(1, |offset| {
            calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            async move { Ok(vec![app(&offset.to_string())]) }
        }))
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Decode);
        assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), MAX_PAGES);
    }

    #[test]
    fn regenerate_is_refused_locally_for_key_apps() {
        let connection = ZitadelConnection::new(
            // Nothing listens here: a request would fail with a network error, not a local one.
            "http://127.0.0.1:9",
            Secret::new("FAKE_PAT_unit"),
            None,
        )
        .unwrap();
        let client = ZitadelClient::new(connection).unwrap();
        let jwt = ZitadelApp {
            auth_method: Some(AuthMethod::PrivateKeyJwt),
            ..app("1")
        };
        let err = block_on(client.regenerate_client_secret("p", &jwt)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Local);
        assert!(err.message.contains("signs with keys"), "{}", err.message);
        let oidc = ZitadelApp {
            kind: AppKind::Oidc,
            auth_method: None,
            ..app("2")
        };
        let err = block_on(client.regenerate_client_secret("p", &oidc)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Local);
    }
}
