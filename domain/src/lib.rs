//! The pure span pipeline as a crate of its own; the viewer re-exports it as `spanscope::domain`.
//! The files live in the viewer's `src/domain` (where `tests/domain_purity.rs` checks them); this crate
//! exists so that cargo can give them their own opt-level (the root Cargo.toml's `wasm-release` profile).
#[path = "../../src/domain/mod.rs"]
pub mod domain;
