//! Loads `config.json` beside `index.html`. A missing file means defaults; any other failure
//! or a malformed file is reported as a problem and the defaults carry on.
use super::base_path::asset_url;
use crate::api::config::{parse_config, Config, ConfigProblem};
use crate::api::error::ApiError;
use crate::api::http::fetch_bytes;
use std::sync::Arc;

/// The configuration in force and what was wrong with the file, if anything.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedConfig {
    pub config: Arc<Config>,
    pub problems: Arc<Vec<ConfigProblem>>,
}

pub async fn load_config() -> LoadedConfig {
    let url = asset_url("config.json");
    let (config, problems) = match fetch_bytes(&url, None, None).await {
        Ok(bytes) => parse_config(&String::from_utf8_lossy(&bytes)),
        Err(ApiError::Status { status: 404, .. }) => (Config::default(), Vec::new()),
        Err(e) => (
            Config::default(),
            vec![ConfigProblem { key: None, message: format!("could not be loaded ({e}); using defaults") }],
        ),
    };
    LoadedConfig { config: Arc::new(config), problems: Arc::new(problems) }
}
