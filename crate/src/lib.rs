//! Latih: a machine-learning playground whose core runs in the browser as WebAssembly and
//! natively as a CLI. Everything outside `web` is plain Rust (no browser APIs) and is tested
//! with `cargo test`; `web` is the one wasm-bindgen surface.

// The playground build (no `full` feature) compiles everything but reaches only the network on
// 2-D data; what it cannot reach is left unused on purpose.
#![cfg_attr(not(feature = "full"), allow(dead_code, unused_imports, unused_variables, unused_mut, unreachable_code))]

#[cfg(not(feature = "full"))]
pub(crate) mod absent;
pub mod data;
pub mod eval;
pub mod experiment;
pub mod explore;
pub mod export;
pub mod lang;
pub mod lessons;
pub mod metrics;
pub mod models;
pub mod recommend;
pub mod render;
pub mod share;

#[cfg(target_arch = "wasm32")]
pub mod web;

/// What the playground build (no `full` feature) answers when asked for something only the
/// full build has: another model family, a table, a file's data. The page recognises it and
/// loads the full build; it is shown only when that fails.
pub const NEEDS_FULL: &str = "this needs the rest of Latih, which is not loaded";

/// What only the full build has, as another type holds it: the thing itself, or in the
/// playground build a type with no values (`absent::Absent`), so the code that handles it is
/// not in that build. The classical families' fitted models and a table's prepared inputs are
/// held this way.
#[cfg(feature = "full")]
pub type Only<T> = T;
#[cfg(not(feature = "full"))]
pub type Only<T> = absent::Absent<T>;
