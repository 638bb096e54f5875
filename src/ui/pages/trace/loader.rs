//! Loading one trace from Zipkin in phases the person can watch: download (bytes so far),
//! decode, build. Each phase is marked with the Performance API for `make bench`, and the
//! browser gets a frame between phases so the status paints and the page stays responsive.
use crate::api::error::ApiError;
use crate::api::http::fetch_bytes_with_progress;
use crate::api::zipkin::ZipkinClient;
use crate::ui::browser::{mark, yield_to_paint};
use crate::ui::shared::Shared;
use leptos::prelude::*;
use spanscope_domain::decode::decode_spans;
use spanscope_domain::trace_model::TraceModel;
use web_sys::AbortController;

/// Where a load is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadPhase {
    Downloading { bytes: u64 },
    Decoding { bytes: u64 },
    Building { spans: u64 },
}

impl LoadPhase {
    pub fn describe(self) -> String {
        match self {
            LoadPhase::Downloading { bytes } => format!("Downloading the trace… {}", format_bytes(bytes)),
            LoadPhase::Decoding { bytes } => format!("Decoding {}…", format_bytes(bytes)),
            LoadPhase::Building { spans } => format!("Building the span tree of {spans} spans…"),
        }
    }
}

/// Why a trace could not be shown.
#[derive(Debug, Clone, PartialEq)]
pub enum TraceLoadError {
    Api(ApiError),
    NotFound { id: String },
    Decode(String),
}

/// Downloads, decodes and builds trace `id`, reporting each phase in `phase`.
pub async fn load_trace(
    client: &ZipkinClient,
    id: &str,
    controller: Option<AbortController>,
    phase: RwSignal<LoadPhase>,
) -> Result<Shared<TraceModel>, TraceLoadError> {
    let url = client.url(&format!("trace/{id}"), &[]);
    phase.set(LoadPhase::Downloading { bytes: 0 });
    let bytes =
        match fetch_bytes_with_progress(&url, controller, &|n| phase.set(LoadPhase::Downloading { bytes: n })).await {
            Ok(bytes) => bytes,
            Err(ApiError::Status { status: 404, .. }) => return Err(TraceLoadError::NotFound { id: id.to_string() }),
            Err(e) => return Err(TraceLoadError::Api(e)),
        };
    mark("spanscope:trace:fetched");
    let model = build_model(bytes, phase).await?;
    if model.row_count() == 0 {
        return Err(TraceLoadError::NotFound { id: id.to_string() });
    }
    Ok(model)
}

/// Decodes a span list and builds its model, with progress; shared by the server and file paths.
pub async fn build_model(bytes: Vec<u8>, phase: RwSignal<LoadPhase>) -> Result<Shared<TraceModel>, TraceLoadError> {
    // Below this size decoding and building take a few milliseconds: painting a progress line
    // first would only delay the trace by a frame or two.
    const SHOW_PHASES_FROM_BYTES: usize = 2 << 20;
    let show_phases = bytes.len() >= SHOW_PHASES_FROM_BYTES;
    phase.set(LoadPhase::Decoding { bytes: bytes.len() as u64 });
    if show_phases {
        yield_to_paint().await;
    }
    let spans = decode_spans(&bytes).map_err(|e| TraceLoadError::Decode(e.to_string()))?;
    drop(bytes);
    mark("spanscope:trace:decoded");
    phase.set(LoadPhase::Building { spans: spans.len() as u64 });
    if show_phases {
        yield_to_paint().await;
    }
    let model = TraceModel::build(spans);
    mark("spanscope:trace:built");
    Ok(Shared::new(model))
}

fn format_bytes(bytes: u64) -> String {
    match bytes {
        0 => String::new(),
        b if b < 1024 * 1024 => format!("{:.0} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}
