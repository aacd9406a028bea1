#![recursion_limit = "512"]
//! minhbach: a static site generator for public transparency reports on
//! digital transformation in Vietnamese provinces.
//!
//! The pipeline, one module per stage, plain data in and out:
//! [`load`] → [`validate`] → [`model`] → [`render`] → [`publish`] → [`write`],
//! run in order by [`site::build`].

// A build fails at most once, with one diagnostic: its size does not matter.
#![allow(clippy::result_large_err)]

pub mod charts;
pub mod clean;
pub mod diag;
pub mod exact;
pub mod format;
pub mod import;
pub mod input;
pub mod live;
pub mod load;
pub mod model;
pub mod newsite;
pub mod progress;
pub mod publish;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod scoring;
pub mod serve;
pub mod site;
pub mod text;
pub mod validate;
pub mod write;
pub mod yaml;
