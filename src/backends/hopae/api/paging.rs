//! Listing every app: the first page, then the rest a few pages at a time, within bounds that
//! a broken or hostile server cannot stretch.
//!
//! The server's `total` never sizes an allocation. Paging stops after `total / page size + 1`
//! pages, when a page brings no new client ids (the server ignored the offset), or at
//! [`MAX_LISTED_APPS`], each with an error that says what the server did.

use std::collections::HashSet;

use futures::StreamExt as _;

use super::client::{Client, PAGE_LIMIT};
use super::error::{ApiError, ErrorKind};
use super::models::App;

pub use crate::backends::listing::MAX_LISTED_APPS;
use crate::backends::listing::{self, Budget};

impl Client {
    /// Every app of the workspace: the first page, then the rest `concurrency` pages at a time.
    /// `progress(loaded, total)` is called after each page. Apps seen twice (pages overlap when
    /// apps are created while the list is read) are kept once.
    ///
    /// The whole listing is bounded as every listing is ([`listing`]): 256 MB of answers, and
    /// five minutes or the client's deadline if longer.
    pub async fn list_all_apps(
        &self,
        concurrency: usize,
        progress: impl Fn(usize, Option<usize>),
    ) -> Result<Vec<App>, ApiError> {
        let host = self.host();
        let time = listing::listing_time(self.deadline());
        listing::within(host, time, self.list_within(concurrency, progress)).await
    }

    async fn list_within(
        &self,
        concurrency: usize,
        progress: impl Fn(usize, Option<usize>),
    ) -> Result<Vec<App>, ApiError> {
        let (first, bytes) = self.sized_apps_page(0, PAGE_LIMIT).await?;
        let host = self.host();
        if let Some(total) = first.total
            && total > MAX_LISTED_APPS
        {
            return Err(protocol(|| {
                crate::tr!(
                    "hopae-list-announced-too-many",
                    host = host,
                    total = total.to_string(),
                    max = MAX_LISTED_APPS
                )
            }));
        }
        // The page size the server actually uses: later pages are asked at this step.
        let step = first.items.len();
        let mut list = Collected::new(host);
        list.add(0, first.items, bytes)?;
        progress(list.len(), first.total);
        match first.total {
            Some(total) if total > step && step == 0 => {
                return Err(protocol(|| {
                    crate::tr!(
                        "hopae-list-first-page-empty",
                        host = host,
                        total = total.to_string()
                    )
                }));
            }
            // At most `total / step` more pages, asked for lazily, in order.
            Some(total) if total > step => {
                let mut pages = futures::stream::iter((step..total).step_by(step))
                    .map(|offset| async move {
                        (offset, self.sized_apps_page(offset, PAGE_LIMIT).await)
                    })
                    .buffered(concurrency.max(1));
                while let Some((offset, page)) = pages.next().await {
                    let (page, bytes) = page?;
                    list.add(offset, page.items, bytes)?;
                    progress(list.len(), Some(total));
                }
            }
            Some(_) => {}
            // No `total`: walk pages until a short one. Each page must bring new apps and the
            // list is capped, so this ends.
            None => {
                let (mut offset, mut last) = (step, step);
                while step > 0 && last >= step {
                    let (page, bytes) = self.sized_apps_page(offset, PAGE_LIMIT).await?;
                    last = page.items.len();
                    list.add(offset, page.items, bytes)?;
                    offset += last;
                    progress(list.len(), None);
                }
            }
        }
        Ok(list.finish())
    }
}

/// The apps received so far, each client id once.
struct Collected<'a> {
    host: &'a str,
    apps: Vec<App>,
    seen: HashSet<String>,
    budget: Budget,
}

impl<'a> Collected<'a> {
    fn new(host: &'a str) -> Self {
        Self {
            host,
            apps: Vec::new(),
            seen: HashSet::new(),
            budget: Budget::new(host),
        }
    }

    fn len(&self) -> usize {
        self.apps.len()
    }

    /// Adds the apps of the page at `offset` not seen before. A page of apps all seen before
    /// means the server ignored the offset; an empty page (the list shrank) is fine.
    fn add(&mut self, offset: usize, items: Vec<App>, bytes: usize) -> Result<(), ApiError> {
        let received = items.len();
        let before = self.apps.len();
        let seen = &mut self.seen;
        self.apps.extend(
            items
                .into_iter()
                .filter(|app| seen.insert(app.client_id.clone())),
        );
        if received > 0 && self.apps.len() == before && offset > 0 {
            return Err(protocol(|| {
                crate::tr!(
                    "hopae-list-same-apps",
                    host = self.host,
                    offset = offset.to_string()
                )
            }));
        }
        self.budget.charge(bytes)?;
        check_count(self.host, self.apps.len())?;
        Ok(())
    }

    fn finish(mut self) -> Vec<App> {
        // Grown by doubling while pages arrived; the list is kept for long, so give back the slack.
        self.apps.shrink_to_fit();
        self.apps
    }
}

/// More than [`MAX_LISTED_APPS`] apps is refused.
fn check_count(host: &str, count: usize) -> Result<(), ApiError> {
    if count > MAX_LISTED_APPS {
        return Err(protocol(|| {
            crate::tr!(
                "hopae-list-sent-too-many",
                host = host,
                max = MAX_LISTED_APPS
            )
        }));
    }
    Ok(())
}

fn protocol(make: impl Fn() -> String) -> ApiError {
    ApiError::worded(ErrorKind::Protocol, make)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(id: &str) -> App {
        App {
            client_id: id.into(),
            ..App::default()
        }
    }

    #[test]
    fn more_than_a_million_apps_are_refused() {
        assert!(check_count("h.example", MAX_LISTED_APPS).is_ok());
        let err = check_count("h.example", MAX_LISTED_APPS + 1).unwrap_err();
        assert!(err.message.contains("1,000,000"), "{}", err.message);
    }

    #[test]
    fn thousands_are_grouped() {
        use crate::backends::listing::thousands;
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
    }

    #[test]
    fn a_page_of_known_apps_is_the_offset_ignored() {
        let mut list = Collected::new("h.example");
        list.add(0, vec![app("a"), app("b")], 0).unwrap();
        // Overlap is fine as long as something is new; an empty page is fine.
        list.add(2, vec![app("b"), app("c")], 0).unwrap();
        list.add(4, vec![], 0).unwrap();
        let err = list.add(4, vec![app("a"), app("c")], 0).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Protocol);
        assert!(err.message.contains("same apps"), "{}", err.message);
        assert!(err.message.contains("h.example"), "{}", err.message);
        assert_eq!(list.finish().len(), 3);
    }
}
