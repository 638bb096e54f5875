//! Wires the pieces into one axum router and runs it: the API at `/api/v2` (and `BASE/api/v2`, as Zipkin
//! mounts it), ingest at `/api/v{1,2}/spans`, and the UI under the base path.
use crate::cli::Args;
use crate::ui_files::{normalize_base_path, UiFiles};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use bytes::Bytes;
use std::io::Write;
use std::sync::Arc;

/// Everything a request handler may need.
#[derive(Clone)]
pub struct AppState {
    pub ui: Option<Arc<UiFiles>>,
}

/// Builds the whole HTTP surface for `state`.
pub fn router(state: AppState) -> Router {
    let mut app = Router::new();
    if let Some(ui) = &state.ui {
        let base = ui.base_path.clone();
        if base.is_empty() {
            app = app.fallback(serve_ui);
        } else {
            let slash = format!("{base}/");
            app = app
                .route("/", get(move || async move { Redirect::temporary(&slash) }))
                .route(&base, get({
                    let slash = format!("{base}/");
                    move || async move { Redirect::temporary(&slash) }
                }))
                .route(&format!("{base}/"), get(serve_ui))
                .route(&format!("{base}/{{*rest}}"), get(serve_ui));
        }
    }
    app.with_state(state)
}

async fn serve_ui(State(state): State<AppState>, request: Request) -> Response {
    let Some(ui) = state.ui.as_ref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let path = request.uri().path();
    let rest = path.strip_prefix(ui.base_path.as_str()).unwrap_or(path).trim_start_matches('/');
    let rest = percent_decode(rest);
    ui.serve(&rest).await
}

/// Decodes `%xx` escapes in a URL path (file names in `dist/` are plain, but be exact anyway).
fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&path[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads the UI settings from the command line.
pub fn ui_files(args: &Args) -> std::io::Result<Option<UiFiles>> {
    let Some(dist) = &args.dist else { return Ok(None) };
    let config_json = match &args.config {
        Some(path) => Bytes::from(std::fs::read(path).map_err(|e| {
            std::io::Error::new(e.kind(), format!("--config {}: {e}", path.display()))
        })?),
        None => Bytes::from_static(b"{}"),
    };
    Ok(Some(UiFiles { dist: dist.clone(), base_path: normalize_base_path(&args.base_path), config_json }))
}

/// A server bound to its address and serving in the background (what `run` and the tests start).
pub struct RunningServer {
    pub addr: std::net::SocketAddr,
    pub base_path: Option<String>,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Binds `args.addr` and serves in a background task until `shutdown` resolves.
pub async fn start(
    args: Args,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<RunningServer> {
    let ui = ui_files(&args)?.map(Arc::new);
    let state = AppState { ui: ui.clone() };
    let listener = tokio::net::TcpListener::bind(args.addr).await?;
    let addr = listener.local_addr()?;
    let app = router(state);
    let task = tokio::spawn(async move { axum::serve(listener, app).with_graceful_shutdown(shutdown).await });
    Ok(RunningServer { addr, base_path: ui.map(|u| u.base_path.clone()), task })
}

/// Runs the server described by `args` until Ctrl-C.
pub async fn run(args: Args) -> std::io::Result<()> {
    let server = start(args, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    {
        // Tests read the first line to learn the port, so it goes out whole and at once.
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on http://{}", server.addr)?;
        if let Some(base) = &server.base_path {
            writeln!(out, "Spanscope UI at http://{}{base}/", server.addr)?;
        }
        out.flush()?;
    }
    server.task.await.map_err(std::io::Error::other)?
}
