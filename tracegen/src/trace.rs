//! Growing one trace: a call tree over the shop's topology sized to an exact span count, then timed
//! bottom-up (a caller lasts as long as its calls), placed top-down, and written out as Zipkin v2 spans.
//!
//! Everything is iterative over flat arrays indexed by unit (parents always precede their children), so a
//! 100,000-span trace or a 10,000-deep chain costs no recursion.
use crate::rng::Rng;
use crate::topology::{Resource, Topology, BROKER, CACHE, DATABASE, SEARCH_INDEX};
use spanscope_domain::span::{Annotation, Endpoint, Kind, Span, Tags};

/// What trace to generate. Build it with struct update syntax over `TraceShape::default()`.
///
/// ```
/// use spanscope_tracegen::{generate_trace, TraceShape};
/// let spans = generate_trace(&TraceShape { spans: 1_000, seed: 7, ..TraceShape::default() });
/// assert_eq!(spans.len(), 1_000);
/// ```
#[derive(Debug, Clone)]
pub struct TraceShape {
    /// Exact number of spans (at least 1).
    pub spans: usize,
    /// Instrumented services to draw from (the shop has 14; more adds `worker-N` services).
    pub services: usize,
    /// Maximum depth of the span tree (the root is depth 1; at least 1).
    pub max_depth: usize,
    /// Same seed, same trace.
    pub seed: u64,
    /// The root span's timestamp, epoch microseconds.
    pub start_micros: u64,
    /// Probability that the trace has a failing call (the failure may propagate to its callers).
    pub error_rate: f64,
    /// Extra failing calls per unit of work, for big traces (0.0003: ~30 in 100,000 spans).
    pub error_density: f64,
    /// Probability that one call in the trace is a slow outlier (50-200x its usual latency).
    pub slow_rate: f64,
    /// 0..1: how often the tree grows from its newest node (deep, narrow) rather than a random one (bushy).
    /// 1.0 gives a chain as deep as `max_depth` allows.
    pub deepen: f64,
    /// Run `inventory-service` on a host whose clock is 35 ms behind, so its server spans start before their
    /// clients (the case Zipkin's clock-skew correction handles).
    pub clock_skew: bool,
    /// 128-bit (32 hex) trace id instead of 64-bit.
    pub trace_id_128: bool,
}

impl Default for TraceShape {
    fn default() -> Self {
        TraceShape {
            spans: 50,
            services: 14,
            max_depth: 16,
            seed: 1,
            start_micros: 1_700_000_000_000_000,
            error_rate: 0.03,
            error_density: 0.0003,
            slow_rate: 0.02,
            deepen: 0.25,
            clock_skew: true,
            trace_id_128: false,
        }
    }
}

/// How far behind the skewed host's clock runs (µs).
pub const CLOCK_SKEW_MICROS: u64 = 35_000;

#[derive(Debug, Clone, Copy, PartialEq)]
enum UnitKind {
    /// The entry point: a SERVER span at the gateway.
    Root,
    /// An HTTP call: CLIENT span in the caller + shared SERVER span (same id) in the callee.
    Rpc { caller: usize },
    /// In-process work: a span with no kind.
    Local,
    /// A call to an uninstrumented resource: one CLIENT span with a remote endpoint.
    Resource(Resource),
    /// A message: PRODUCER span, and a CONSUMER span in `consumer` if some service consumes the topic.
    Message { topic: &'static str, consumer: Option<usize> },
}

struct Unit {
    kind: UnitKind,
    parent: usize,
    /// The service doing the unit's inner work (the callee of a call, the consumer of a message).
    service: usize,
    /// Depth of the unit's inner span (where children attach).
    depth: usize,
    id: u64,
    consumer_id: u64,
    name: String,
    path: String,
    method: &'static str,
    children: Vec<usize>,
    parallel: bool,
    self_time: u64,
    net: u64,
    /// Duration of the inner span (server, consumer, local, resource call).
    inner: u64,
    /// Duration of the outer span (client, producer), what the parent waits for.
    outer: u64,
    start: u64,
    error: Option<&'static str>,
    slow: bool,
    cache_hit: bool,
    retry: bool,
}

const LOCAL_WORK: &[&str] =
    &["validate request", "authorize", "serialize response", "map results", "compute totals", "load config", "render"];

fn resource_typical(r: Resource) -> u64 {
    match r {
        Resource::Database(_) => 900,
        Resource::Cache(_) => 180,
        Resource::SearchIndex(_) => 6_000,
        Resource::Topic(_) => 400,
    }
}

fn fill_path(route: &str, rng: &mut Rng) -> String {
    route
        .replace("{id}", &rng.between(1000, 99_999).to_string())
        .replace("{sku}", &format!("sku-{}", rng.between(100, 999)))
}

/// Builds the call tree: exactly `shape.spans` spans when the depth bound allows it.
fn grow(shape: &TraceShape, topology: &Topology, rng: &mut Rng) -> Vec<Unit> {
    let gateway = &topology.services[0];
    let (method, route) =
        if gateway.routes.is_empty() { ("GET", "/".to_string()) } else { rng.pick(&gateway.routes).clone() };
    let mut units = vec![Unit {
        kind: UnitKind::Root,
        parent: usize::MAX,
        service: 0,
        depth: 1,
        id: rng.id(),
        consumer_id: 0,
        name: format!("{} {}", method.to_lowercase(), route),
        path: fill_path(&route, rng),
        method,
        children: Vec::new(),
        parallel: false,
        self_time: 0,
        net: 0,
        inner: 0,
        outer: 0,
        start: 0,
        error: None,
        slow: false,
        cache_hit: true,
        retry: false,
    }];
    let target = shape.spans.max(1);
    let max_depth = shape.max_depth.max(1);
    let mut spans = 1;
    let mut frontier: Vec<usize> = if max_depth > 1 { vec![0] } else { Vec::new() };

    while spans < target && !frontier.is_empty() {
        let slot = if rng.chance(shape.deepen) { frontier.len() - 1 } else { rng.below(frontier.len()) };
        let parent = frontier[slot];
        let (service, depth) = (units[parent].service, units[parent].depth);
        let remaining = target - spans;
        let svc = &topology.services[service];

        // Weighted choice among what this service can do from here.
        let mut options: Vec<(f64, UnitKind)> = Vec::new();
        if remaining >= 2 && depth + 2 <= max_depth && !svc.calls.is_empty() {
            options.push((4.0, UnitKind::Rpc { caller: service }));
        }
        if depth < max_depth {
            for &r in &svc.resources {
                match r {
                    Resource::Topic(topic) => {
                        let consumers = topology.consumers(topic);
                        if remaining >= 2 && depth + 2 <= max_depth && !consumers.is_empty() {
                            let consumer = consumers[rng.below(consumers.len())];
                            options.push((0.8, UnitKind::Message { topic, consumer: Some(consumer) }));
                        } else {
                            options.push((0.3, UnitKind::Message { topic, consumer: None }));
                        }
                    }
                    other => options.push((3.0 / svc.resources.len() as f64, UnitKind::Resource(other))),
                }
            }
            options.push((1.0, UnitKind::Local));
        }
        if options.is_empty() {
            frontier.swap_remove(slot);
            continue;
        }
        let total: f64 = options.iter().map(|o| o.0).sum();
        let mut roll = rng.unit() * total;
        let mut kind = options[options.len() - 1].1;
        for (weight, option) in &options {
            if roll < *weight {
                kind = *option;
                break;
            }
            roll -= weight;
        }

        let index = units.len();
        let (child_service, count, child_depth, expandable) = match kind {
            UnitKind::Rpc { .. } => {
                let callee = *rng.pick(&svc.calls);
                (callee, 2, depth + 2, true)
            }
            UnitKind::Message { consumer: Some(c), .. } => (c, 2, depth + 2, true),
            UnitKind::Message { consumer: None, .. } => (service, 1, depth + 1, false),
            UnitKind::Resource(_) => (service, 1, depth + 1, false),
            UnitKind::Local => (service, 1, depth + 1, true),
            UnitKind::Root => unreachable!("only the first unit is the root"),
        };
        let callee = &topology.services[child_service];
        let (method, name, path) = match kind {
            UnitKind::Rpc { .. } => {
                let (m, route) = if callee.routes.is_empty() {
                    ("POST", "/rpc".to_string())
                } else {
                    rng.pick(&callee.routes).clone()
                };
                (m, format!("{} {}", m.to_lowercase(), route), fill_path(&route, rng))
            }
            UnitKind::Resource(Resource::Database(table)) => {
                let verb = *rng.pick(&["select", "select", "select", "insert", "update"]);
                ("", format!("{verb} {table}"), String::new())
            }
            UnitKind::Resource(Resource::Cache(_)) => {
                ("", rng.pick(&["get", "get", "get", "set"]).to_string(), String::new())
            }
            UnitKind::Resource(Resource::SearchIndex(index)) => ("", format!("search {index}"), String::new()),
            UnitKind::Resource(Resource::Topic(topic)) | UnitKind::Message { topic, .. } => {
                ("", format!("send {topic}"), String::new())
            }
            UnitKind::Local => ("", rng.pick(LOCAL_WORK).to_string(), String::new()),
            UnitKind::Root => unreachable!(),
        };
        units.push(Unit {
            kind,
            parent,
            service: child_service,
            depth: child_depth,
            id: rng.id(),
            consumer_id: if count == 2 && matches!(kind, UnitKind::Message { .. }) { rng.id() } else { 0 },
            name,
            path,
            method,
            children: Vec::new(),
            parallel: false,
            self_time: 0,
            net: 0,
            inner: 0,
            outer: 0,
            start: 0,
            error: None,
            slow: false,
            cache_hit: rng.chance(0.85),
            retry: rng.chance(0.01),
        });
        units[parent].children.push(index);
        spans += count;
        if expandable && child_depth < max_depth {
            frontier.push(index);
        }
    }
    units
}

/// Marks failures and slow outliers.
fn inject_trouble(shape: &TraceShape, units: &mut [Unit], rng: &mut Rng) {
    let failable: Vec<usize> =
        (1..units.len()).filter(|&i| matches!(units[i].kind, UnitKind::Rpc { .. } | UnitKind::Resource(_))).collect();
    if failable.is_empty() {
        return;
    }
    let mut origins = usize::from(rng.chance(shape.error_rate));
    origins += (units.len() as f64 * shape.error_density) as usize;
    for _ in 0..origins {
        let mut at = failable[rng.below(failable.len())];
        units[at].error = Some(match units[at].kind {
            UnitKind::Resource(Resource::Database(_)) => {
                *rng.pick(&["deadlock detected", "connection reset by peer", "statement timeout"])
            }
            UnitKind::Resource(_) => "timeout",
            _ => *rng.pick(&["500", "503", "504"]),
        });
        // Callers often fail too, as an error travels up the stack.
        while units[at].parent != usize::MAX && rng.chance(0.6) {
            at = units[at].parent;
            if matches!(units[at].kind, UnitKind::Rpc { .. } | UnitKind::Root) {
                units[at].error = Some("500");
            }
        }
    }
    if rng.chance(shape.slow_rate) {
        let at = failable[rng.below(failable.len())];
        units[at].slow = true;
    }
}

/// Durations bottom-up, then start times top-down.
fn time(units: &mut [Unit], start: u64, rng: &mut Rng) {
    for i in (0..units.len()).rev() {
        let kind = units[i].kind;
        let typical_self = match kind {
            UnitKind::Root | UnitKind::Rpc { .. } => 400,
            UnitKind::Local => 250,
            UnitKind::Message { .. } => 600,
            UnitKind::Resource(r) => resource_typical(r),
        };
        let mut self_time = rng.latency(typical_self);
        if units[i].slow {
            self_time *= rng.between(50, 200);
        }
        let children = std::mem::take(&mut units[i].children);
        let parallel = children.len() > 1 && rng.chance(0.3);
        let waits: Vec<u64> = children.iter().map(|&c| units[c].outer).collect();
        let work = if parallel { waits.iter().copied().max().unwrap_or(0) } else { waits.iter().sum() };
        let u = &mut units[i];
        u.children = children;
        u.parallel = parallel;
        u.self_time = self_time;
        u.inner = self_time + work;
        u.outer = match kind {
            UnitKind::Rpc { .. } => {
                u.net = rng.between(150, 1_500);
                u.inner + 2 * u.net
            }
            // The producer only waits for the broker's ack; the consumer runs later, on its own time.
            UnitKind::Message { .. } => {
                u.net = rng.between(2_000, 400_000);
                rng.latency(resource_typical(Resource::Topic("")))
            }
            _ => u.inner,
        };
    }
    units[0].start = start;
    for i in 0..units.len() {
        let inner_start = units[i].start
            + match units[i].kind {
                UnitKind::Rpc { .. } | UnitKind::Message { .. } => units[i].net,
                _ => 0,
            };
        let mut cursor = inner_start + units[i].self_time / 2;
        let parallel = units[i].parallel;
        for k in 0..units[i].children.len() {
            let c = units[i].children[k];
            units[c].start = cursor;
            if !parallel {
                cursor += units[c].outer;
            }
        }
    }
}

struct Writer<'a> {
    topology: &'a Topology,
    trace_id: String,
    skewed: Option<usize>,
}

impl Writer<'_> {
    fn endpoint(&self, service: usize) -> Endpoint {
        let s = &self.topology.services[service];
        Endpoint { service_name: Some(s.name.clone()), ipv4: Some(s.ipv4.clone()), ipv6: None, port: Some(s.port) }
    }

    fn resource_endpoint(name: &str) -> Endpoint {
        let (ip, port) = match name {
            DATABASE => ("10.0.20.5", 5432),
            CACHE => ("10.0.20.6", 6379),
            BROKER => ("10.0.20.7", 9092),
            _ => ("10.0.20.8", 9200),
        };
        Endpoint { service_name: Some(name.to_string()), ipv4: Some(ip.to_string()), ipv6: None, port: Some(port) }
    }

    /// A span recorded by `service`'s host: its clock may run behind.
    #[allow(clippy::too_many_arguments)]
    fn span(
        &self,
        service: usize,
        id: u64,
        parent: Option<u64>,
        name: &str,
        kind: Option<Kind>,
        start: u64,
        duration: u64,
    ) -> Span {
        let skew = if self.skewed == Some(service) { CLOCK_SKEW_MICROS } else { 0 };
        Span {
            trace_id: self.trace_id.clone(),
            id: format!("{id:016x}"),
            parent_id: parent.map(|p| format!("{p:016x}")),
            name: Some(name.to_string()),
            kind,
            timestamp: Some(start.saturating_sub(skew).max(1)),
            duration: Some(duration.max(1)),
            local_endpoint: Some(self.endpoint(service)),
            ..Span::default()
        }
    }

    fn annotate(&self, span: &mut Span, at: u64, value: &str) {
        let skew = if span.local_service() == self.skewed.map(|s| self.topology.services[s].name.as_str()) {
            CLOCK_SKEW_MICROS
        } else {
            0
        };
        span.annotations.push(Annotation { timestamp: at.saturating_sub(skew).max(1), value: value.to_string() });
    }
}

fn http_tags(tags: &mut Tags, u: &Unit) {
    tags.insert("http.method".into(), u.method.to_string());
    tags.insert("http.path".into(), u.path.clone());
    let status = match u.error {
        Some(code @ ("500" | "503" | "504")) => code,
        Some(_) => "500",
        None if u.method == "POST" => "201",
        None => "200",
    };
    tags.insert("http.status_code".into(), status.to_string());
}

fn write(units: &[Unit], writer: &Writer, out: &mut Vec<Span>) {
    let parent_span = |u: &Unit| -> Option<u64> {
        (u.parent != usize::MAX).then(|| {
            let p = &units[u.parent];
            if p.consumer_id != 0 {
                p.consumer_id
            } else {
                p.id
            }
        })
    };
    for u in units {
        let parent = parent_span(u);
        match u.kind {
            UnitKind::Root => {
                let mut s = writer.span(u.service, u.id, None, &u.name, Some(Kind::Server), u.start, u.inner);
                s.remote_endpoint =
                    Some(Endpoint { ipv4: Some(format!("203.0.113.{}", 1 + u.id % 250)), ..Endpoint::default() });
                http_tags(&mut s.tags, u);
                s.tags.insert("environment".into(), "production".into());
                if let Some(e) = u.error {
                    s.tags.insert("error".into(), e.to_string());
                }
                out.push(s);
            }
            UnitKind::Rpc { caller } => {
                let mut client = writer.span(caller, u.id, parent, &u.name, Some(Kind::Client), u.start, u.outer);
                client.remote_endpoint = Some(writer.endpoint(u.service));
                http_tags(&mut client.tags, u);
                writer.annotate(&mut client, u.start + u.net / 4, "ws");
                writer.annotate(&mut client, u.start + u.outer - u.net / 4, "wr");
                if u.retry {
                    writer.annotate(&mut client, u.start + u.net / 2, "retry");
                }
                let mut server =
                    writer.span(u.service, u.id, parent, &u.name, Some(Kind::Server), u.start + u.net, u.inner);
                server.shared = Some(true);
                server.remote_endpoint =
                    Some(Endpoint { ipv4: Some(writer.topology.services[caller].ipv4.clone()), ..Endpoint::default() });
                http_tags(&mut server.tags, u);
                server.tags.insert("http.route".into(), u.name.split_once(' ').map(|x| x.1).unwrap_or("").to_string());
                if let Some(e) = u.error {
                    client.tags.insert("error".into(), e.to_string());
                    server.tags.insert("error".into(), e.to_string());
                }
                out.push(client);
                out.push(server);
            }
            UnitKind::Local => {
                out.push(writer.span(u.service, u.id, parent, &u.name, None, u.start, u.inner));
            }
            UnitKind::Resource(r) => {
                let mut s = writer.span(u.service, u.id, parent, &u.name, Some(Kind::Client), u.start, u.inner);
                match r {
                    Resource::Database(table) => {
                        s.remote_endpoint = Some(Writer::resource_endpoint(DATABASE));
                        s.tags.insert("db.type".into(), "postgresql".into());
                        s.tags.insert("db.instance".into(), "shop".into());
                        let verb = u.name.split(' ').next().unwrap_or("select");
                        let sql = match verb {
                            "insert" => format!("INSERT INTO {table} (id, data) VALUES ($1, $2)"),
                            "update" => format!("UPDATE {table} SET data = $2 WHERE id = $1"),
                            _ => format!("SELECT * FROM {table} WHERE id = $1"),
                        };
                        s.tags.insert("sql.query".into(), sql);
                        if u.slow {
                            writer.annotate(&mut s, u.start + u.inner / 3, "lock wait");
                        }
                    }
                    Resource::Cache(prefix) => {
                        s.remote_endpoint = Some(Writer::resource_endpoint(CACHE));
                        s.tags.insert("cache.key".into(), format!("{prefix}:{}", u.id % 10_000));
                        s.tags.insert("cache.hit".into(), u.cache_hit.to_string());
                        if !u.cache_hit {
                            writer.annotate(&mut s, u.start + u.inner / 2, "cache.miss");
                        }
                    }
                    Resource::SearchIndex(index) => {
                        s.remote_endpoint = Some(Writer::resource_endpoint(SEARCH_INDEX));
                        s.tags.insert("es.index".into(), index.to_string());
                    }
                    Resource::Topic(_) => unreachable!("topics become messages"),
                }
                if let Some(e) = u.error {
                    s.tags.insert("error".into(), e.to_string());
                }
                out.push(s);
            }
            UnitKind::Message { topic, consumer } => {
                let producer_service = units[u.parent].service;
                let mut p =
                    writer.span(producer_service, u.id, parent, &u.name, Some(Kind::Producer), u.start, u.outer);
                p.remote_endpoint = Some(Writer::resource_endpoint(BROKER));
                p.tags.insert("kafka.topic".into(), topic.to_string());
                p.tags.insert("messaging.system".into(), "kafka".into());
                out.push(p);
                if let Some(c) = consumer {
                    let name = format!("on-message {topic}");
                    let mut s = writer.span(
                        c,
                        u.consumer_id,
                        Some(u.id),
                        &name,
                        Some(Kind::Consumer),
                        u.start + u.net,
                        u.inner,
                    );
                    s.remote_endpoint = Some(Writer::resource_endpoint(BROKER));
                    s.tags.insert("kafka.topic".into(), topic.to_string());
                    s.tags.insert("messaging.system".into(), "kafka".into());
                    out.push(s);
                }
            }
        }
    }
}

/// Generates one trace of exactly `shape.spans` spans (fewer only if `max_depth` is 1, which allows just
/// the root). Spans come in tree order: every parent before its children.
pub fn generate_trace(shape: &TraceShape) -> Vec<Span> {
    let topology = Topology::shop(shape.services);
    generate_with(shape, &topology)
}

/// Like [`generate_trace`] with a topology built once by the caller (for generating many traces).
pub fn generate_with(shape: &TraceShape, topology: &Topology) -> Vec<Span> {
    let mut rng = Rng::new(shape.seed);
    let trace_id =
        if shape.trace_id_128 { format!("{:016x}{:016x}", rng.id(), rng.id()) } else { format!("{:016x}", rng.id()) };
    let mut units = grow(shape, topology, &mut rng);
    inject_trouble(shape, &mut units, &mut rng);
    time(&mut units, shape.start_micros, &mut rng);
    let skewed = if shape.clock_skew { topology.index("inventory-service") } else { None };
    let writer = Writer { topology, trace_id, skewed };
    let mut out = Vec::with_capacity(shape.spans);
    write(&units, &writer, &mut out);
    out
}
