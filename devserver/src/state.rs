//! The state every request handler shares (the store, the link cache, faults, the UI files, settings). It sits
//! below the handlers and the router that wires them, so their imports point down to it and never back up.
use crate::faults::Faults;
use crate::links::LinkCache;
use crate::store::{Store, StoreSettings};
use crate::ui_files::UiFiles;
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Everything a request handler may need.
#[derive(Clone)]
pub struct AppState {
    pub ui: Option<Arc<UiFiles>>,
    pub store: Arc<RwLock<Store>>,
    pub link_cache: Arc<Mutex<LinkCache>>,
    /// Milliseconds (Zipkin's `QUERY_LOOKBACK`).
    pub default_lookback: i64,
    pub faults: Arc<Faults>,
    pub allowed_origins: String,
    /// Where Zipkin mounts the UI (`/zipkin`, or empty for the root); the query API is also mounted under it,
    /// with or without `--dist`, as Zipkin does.
    pub base_path: String,
    /// How far a gzipped body may inflate (`--max-inflated-bytes`).
    pub max_inflated_bytes: usize,
    /// Batches being inflated, decoded and stored at once: each may take `max_inflated_bytes` and a few
    /// times that to decode, so `--max-buffered-bytes / --max-inflated-bytes` of them (at least one); the
    /// rest wait their turn.
    pub ingest_slots: Arc<Semaphore>,
}

impl AppState {
    /// A state with an empty store and no UI (what tests and `run` start from).
    pub fn new(settings: StoreSettings) -> AppState {
        AppState {
            ui: None,
            store: Arc::new(RwLock::new(Store::new(settings))),
            link_cache: Arc::new(Mutex::new(LinkCache::new())),
            default_lookback: 86_400_000,
            faults: Arc::new(Faults::new(0, 0.0, 1)),
            allowed_origins: "*".into(),
            base_path: "/zipkin".into(),
            max_inflated_bytes: 128 << 20,
            ingest_slots: Arc::new(Semaphore::new(4)),
        }
    }

    /// Waits for a turn to inflate, decode and store a batch; the turn ends when the permit is dropped.
    pub async fn ingest_slot(&self) -> OwnedSemaphorePermit {
        self.ingest_slots.clone().acquire_owned().await.expect("the ingest semaphore is never closed")
    }
}
