//! The console and its catalogs in Korean: the catalogs agree with each other, every screen
//! speaks Korean with no raw message id or English label left, the fonts draw it, and Korean
//! typed through an input method reaches the text fields.

// A failed unwrap in a test is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../kittest_support/mod.rs"]
mod kittest_support;

mod catalogs;
mod ime;
mod screens;
