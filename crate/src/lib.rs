//! Latih: a machine-learning playground whose core runs in the browser as WebAssembly and
//! natively as a CLI. Everything outside `web` is plain Rust (no browser APIs) and is tested
//! with `cargo test`; `web` is the one wasm-bindgen surface.

pub mod data;
pub mod eval;
pub mod experiment;
pub mod explore;
pub mod export;
pub mod lang;
pub mod lessons;
pub mod models;
pub mod recommend;
pub mod render;
pub mod share;

#[cfg(target_arch = "wasm32")]
pub mod web;
