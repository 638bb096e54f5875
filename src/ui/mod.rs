//! The Leptos app: the shell (header, routes, configuration) and one module per page.
//! It holds no algorithms: pages ask `api` for data and `domain` for every answer about it.
pub mod app;
pub mod backend_context;
pub mod base_path;
pub mod browser;
pub mod config_loader;
pub mod embed;
pub mod error_view;
pub mod header;
pub mod open_json;
pub mod pages;
pub mod shared;
pub mod theme;
pub mod time_zone;
pub mod trace_id_box;

pub use app::App;
