//! Wires the pieces into one axum router and runs it: Zipkin's API at `/api/v2` (and `BASE/api/v2`, as Zipkin
//! mounts it), Jaeger's legacy API at `/api` and its API v3 at `/api/v3` (both under `BASE` too), ingest at
//! `/api/v{1,2}/spans`, OTLP's `/v1/traces`, the Jaeger collector's `POST /api/traces` and, with
//! `--jaeger-agent`, the Jaeger agent's UDP port; and the UI under the base path.
use crate::cli::Args;
use crate::connections::ConnectionLimits;
use crate::faults::{self, Faults};
use crate::jaeger_ingest::{serve_agent, AgentCounters};
use crate::request_body::BodyLimits;
use crate::state::AppState;
use crate::store::StoreSettings;
use crate::ui_files::{normalize_base_path, UiFiles};
use crate::{api, api_v3, ingest, jaeger_api, jaeger_ingest, otlp_ingest};
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use bytes::Bytes;
use std::io::Write;
use std::sync::Arc;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// CORS as Zipkin configures it: origins from the settings (default `*`), GET and POST, and only the
/// `Content-Type` and `X-GRPC-WEB` request headers (so a request adding `Authorization` fails its preflight).
fn cors(allowed_origins: &str) -> CorsLayer {
    let origins: Vec<&str> = allowed_origins.split(',').map(str::trim).filter(|o| !o.is_empty()).collect();
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, HeaderName::from_static("x-grpc-web")]);
    if origins.is_empty() || origins.contains(&"*") {
        layer.allow_origin(AllowOrigin::any())
    } else {
        layer.allow_origin(AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok())))
    }
}

/// Adds the fault injection (`--latency`, `--fail-rate`) to a query API, when asked for.
fn with_faults(api: Router<AppState>, state: &AppState) -> Router<AppState> {
    if state.faults.active() {
        api.layer(middleware::from_fn_with_state(state.faults.clone(), faults::inject))
    } else {
        api
    }
}

/// The query API (`ZipkinQueryApiV2`), mounted at `/api/v2` and `BASE/api/v2`.
fn query_api(state: &AppState) -> Router<AppState> {
    let api = Router::new()
        .route("/services", get(api::services))
        .route("/spans", get(api::span_names))
        .route("/remoteServices", get(api::remote_services))
        .route("/traces", get(api::traces))
        .route("/trace/{trace_id}", get(api::trace))
        .route("/traceMany", get(api::trace_many))
        .route("/dependencies", get(api::dependencies))
        .route("/autocompleteKeys", get(api::autocomplete_keys))
        .route("/autocompleteValues", get(api::autocomplete_values));
    with_faults(api, state)
}

/// Builds the whole HTTP surface for `state`, every request body read under `body_limits` first.
pub fn router(state: AppState, body_limits: BodyLimits) -> Router {
    let query = query_api(&state);
    let query_v3 = with_faults(api_v3::routes(), &state);
    let jaeger = with_faults(jaeger_api::routes(), &state);
    let api = Router::new()
        .nest("/api/v2", query.clone())
        .nest("/api/v3", query_v3.clone())
        .nest("/api", jaeger.clone())
        .route("/api/traces", post(jaeger_ingest::post_traces))
        .route("/api/v2/spans", post(ingest::post_v2))
        .route("/api/v1/spans", post(ingest::post_v1))
        .route("/v1/traces", post(otlp_ingest::post_traces))
        // `request_body::buffer` has already held the body to the limit.
        .layer(DefaultBodyLimit::max(body_limits.max_bytes));
    let body_limits = Arc::new(body_limits);
    let mut app = Router::new().merge(api);
    if !state.base_path.is_empty() {
        app = app
            .nest(&format!("{}/api/v2", state.base_path), query)
            .nest(&format!("{}/api/v3", state.base_path), query_v3)
            .nest(&format!("{}/api", state.base_path), jaeger);
    }
    if let Some(ui) = &state.ui {
        let base = ui.base_path.clone();
        if base.is_empty() {
            app = app.fallback(serve_ui);
        } else {
            let slash = format!("{base}/");
            app = app
                .route("/", get(move || async move { Redirect::temporary(&slash) }))
                .route(
                    &base,
                    get({
                        let slash = format!("{base}/");
                        move || async move { Redirect::temporary(&slash) }
                    }),
                )
                .route(&format!("{base}/"), get(serve_ui))
                .route(&format!("{base}/{{*rest}}"), get(serve_ui));
        }
    }
    let cors = cors(&state.allowed_origins);
    app.layer(middleware::from_fn_with_state(body_limits, crate::request_body::buffer)).layer(cors).with_state(state)
}

async fn serve_ui(State(state): State<AppState>, request: Request) -> Response {
    let Some(ui) = state.ui.as_ref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let path = request.uri().path();
    let rest = path.strip_prefix(ui.base_path.as_str()).unwrap_or(path).trim_start_matches('/');
    match crate::url_path::percent_decode(rest) {
        Ok(rest) => ui.serve(&rest).await,
        Err(malformed) => crate::respond::text(StatusCode::BAD_REQUEST, malformed.0),
    }
}

/// Reads the UI settings from the command line.
pub fn ui_files(args: &Args) -> std::io::Result<Option<UiFiles>> {
    let Some(dist) = &args.dist else {
        return Ok(None);
    };
    let config_json = match &args.config {
        Some(path) => Bytes::from(
            std::fs::read(path)
                .map_err(|e| std::io::Error::new(e.kind(), format!("--config {}: {e}", path.display())))?,
        ),
        None => Bytes::from_static(b"{}"),
    };
    let csp = args.csp.then(|| crate::csp::strict_policy(&config_json));
    Ok(Some(UiFiles { dist: dist.clone(), base_path: normalize_base_path(&args.base_path), config_json, csp }))
}

/// The autocomplete keys: the flag's list, or a demo's defaults.
fn autocomplete_keys(args: &Args) -> Vec<String> {
    match &args.autocomplete_keys {
        Some(keys) => keys.split(',').map(str::trim).filter(|k| !k.is_empty()).map(String::from).collect(),
        None if args.demo => ["environment", "http.method", "http.status_code"].map(String::from).to_vec(),
        None => Vec::new(),
    }
}

/// Builds the state the command line describes, with the store still empty.
pub fn state_from_args(args: &Args) -> std::io::Result<AppState> {
    let mut state = AppState::new(StoreSettings {
        max_spans: args.max_spans,
        strict_trace_id: args.strict_trace_id,
        autocomplete_keys: autocomplete_keys(args),
    });
    state.ui = ui_files(args)?.map(Arc::new);
    state.default_lookback = i64::try_from(args.default_lookback).unwrap_or(i64::MAX);
    state.faults = Arc::new(Faults::new(args.latency, args.fail_rate, args.seed));
    state.allowed_origins = args.allowed_origins.clone();
    state.base_path = normalize_base_path(&args.base_path);
    state.max_inflated_bytes = args.max_inflated_bytes;
    let slots = (args.max_buffered_bytes / args.max_inflated_bytes).max(1);
    state.ingest_slots = Arc::new(tokio::sync::Semaphore::new(slots));
    Ok(state)
}

/// Stores what `--load` and `--generate` ask for, before the server answers anything.
fn preload(state: &AppState, args: &Args) -> std::io::Result<()> {
    crate::sources::load_files(state, &args.load, args.rebase).map_err(std::io::Error::other)?;
    for (i, spec) in args.generate.iter().enumerate() {
        crate::sources::generate(state, *spec, args.seed, i);
    }
    Ok(())
}

/// A server bound to its address and serving in the background (what `run` and the tests start).
pub struct RunningServer {
    pub addr: std::net::SocketAddr,
    pub base_path: Option<String>,
    /// The Jaeger agent's UDP address and what it has received, with `--jaeger-agent`.
    pub jaeger_agent: Option<(std::net::SocketAddr, Arc<AgentCounters>)>,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Binds `args.addr` and serves in a background task until `shutdown` resolves.
pub async fn start(
    args: Args,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<RunningServer> {
    let state = state_from_args(&args)?;
    let ui = state.ui.clone();
    let state_for_demo = state.clone();
    preload(&state, &args)?;
    let listener = crate::connections::bind(args.addr)?;
    let addr = listener.local_addr()?;
    let mut jaeger_agent = None;
    let mut agent_task = None;
    if let Some(agent_addr) = args.jaeger_agent {
        let socket = tokio::net::UdpSocket::bind(agent_addr)
            .await
            .map_err(|e| std::io::Error::new(e.kind(), format!("--jaeger-agent {agent_addr}: {e}")))?;
        let counters = Arc::new(AgentCounters::default());
        jaeger_agent = Some((socket.local_addr()?, counters.clone()));
        agent_task = Some(tokio::spawn(serve_agent(socket, state.clone(), counters)));
    }
    let body_limits = BodyLimits::new(args.max_body_bytes, args.body_timeout, args.max_buffered_bytes);
    let app = router(state, body_limits);
    let connection_limits = ConnectionLimits {
        max_connections: args.max_connections as usize,
        header_timeout: args.header_timeout,
        idle_timeout: args.idle_timeout,
    };
    let task = tokio::spawn(async move {
        let served = crate::connections::serve(listener, app, connection_limits, shutdown).await;
        // The agent stops with the server.
        if let Some(agent) = agent_task {
            agent.abort();
        }
        served
    });
    if args.demo {
        let live = state_for_demo;
        let seed = args.seed;
        tokio::spawn(async move {
            let backfill = live.clone();
            let started = tokio::task::spawn_blocking(move || crate::sources::demo_backfill(&backfill, seed)).await;
            if let Ok((traffic, otel, pacing)) = started {
                crate::sources::demo_live(live, traffic, otel, pacing).await;
            }
        });
    }
    Ok(RunningServer { addr, base_path: ui.map(|u| u.base_path.clone()), jaeger_agent, task })
}

/// Runs the server described by `args` until Ctrl-C.
pub async fn run(args: Args) -> std::io::Result<()> {
    let server = start(args, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    {
        // Tests read the first line to learn the port, so the lines go out whole and in one write (stdout is
        // line-buffered: one `writeln!` each would be one write each). A reader that closed the pipe after
        // the first line must not stop the server: a failed write here is ignored.
        let mut lines = format!("listening on http://{}\n", server.addr);
        if let Some(base) = &server.base_path {
            lines.push_str(&format!("Spanscope UI at http://{}{base}/\n", server.addr));
        }
        if let Some((agent, _)) = &server.jaeger_agent {
            lines.push_str(&format!("jaeger agent on udp://{agent}\n"));
        }
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(lines.as_bytes()).and_then(|()| out.flush());
    }
    server.task.await.map_err(std::io::Error::other)?
}
