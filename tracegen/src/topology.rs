//! The shop the synthetic traffic comes from: instrumented services with their HTTP routes and downstream
//! calls, and the uninstrumented resources they use (a database, a cache, a message broker, a search index)
//! that appear only as remote endpoints, as they do in real Zipkin data.

/// A resource a service talks to without it reporting spans itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// `postgres`: SQL over a table.
    Database(&'static str),
    /// `redis`: a key prefix.
    Cache(&'static str),
    /// `elasticsearch`: an index.
    SearchIndex(&'static str),
    /// `kafka`: a topic this service produces to.
    Topic(&'static str),
}

/// An instrumented service.
#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    /// (HTTP method, route) pairs it serves; consumers serve none.
    pub routes: Vec<(&'static str, String)>,
    /// Services it calls over HTTP (indexes into the topology).
    pub calls: Vec<usize>,
    pub resources: Vec<Resource>,
    /// Topics it consumes.
    pub consumes: Vec<&'static str>,
    pub ipv4: String,
    pub port: u16,
}

/// Services and who consumes which topic.
#[derive(Debug, Clone)]
pub struct Topology {
    pub services: Vec<Service>,
}

pub const DATABASE: &str = "postgres";
pub const CACHE: &str = "redis";
pub const BROKER: &str = "kafka";
pub const SEARCH_INDEX: &str = "elasticsearch";

type Spec = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [&'static str],
    &'static [Resource],
    &'static [&'static str],
);

/// (name, routes, calls, resources, consumed topics). Order matters: a smaller `services` count keeps the
/// first ones, and calls mostly point further down the list, so the graph stays acyclic like a real one.
const SHOP: &[Spec] = &[
    (
        "web-gateway",
        &[
            ("GET", "/api/products"),
            ("GET", "/api/products/{id}"),
            ("GET", "/api/search"),
            ("POST", "/api/orders"),
            ("GET", "/api/orders/{id}"),
            ("POST", "/api/login"),
            ("GET", "/api/users/me"),
            ("GET", "/api/recommendations"),
        ],
        &[
            "auth-service",
            "catalog-service",
            "search-service",
            "order-service",
            "user-service",
            "recommendation-service",
        ],
        &[Resource::Cache("ratelimit")],
        &[],
    ),
    (
        "auth-service",
        &[("POST", "/auth/verify"), ("POST", "/auth/login")],
        &["user-service"],
        &[Resource::Cache("session"), Resource::Database("tokens")],
        &[],
    ),
    (
        "catalog-service",
        &[("GET", "/products"), ("GET", "/products/{id}")],
        &["pricing-service", "inventory-service"],
        &[Resource::Database("products"), Resource::Cache("product")],
        &[],
    ),
    (
        "order-service",
        &[("POST", "/orders"), ("GET", "/orders/{id}")],
        &["inventory-service", "payment-service", "pricing-service", "user-service"],
        &[Resource::Database("orders"), Resource::Topic("orders.created")],
        &[],
    ),
    (
        "search-service",
        &[("GET", "/search")],
        &["catalog-service"],
        &[Resource::SearchIndex("products"), Resource::Cache("query")],
        &[],
    ),
    (
        "user-service",
        &[("GET", "/users/{id}"), ("GET", "/users/{id}/preferences")],
        &[],
        &[Resource::Database("users"), Resource::Cache("user")],
        &[],
    ),
    (
        "payment-service",
        &[("POST", "/payments/charge"), ("GET", "/payments/{id}")],
        &["fraud-detection"],
        &[Resource::Database("payments"), Resource::Topic("payments.completed")],
        &[],
    ),
    (
        "inventory-service",
        &[("POST", "/inventory/reserve"), ("GET", "/inventory/{sku}")],
        &[],
        &[Resource::Database("stock"), Resource::Cache("stock")],
        &[],
    ),
    (
        "pricing-service",
        &[("POST", "/prices/quote")],
        &[],
        &[Resource::Cache("price"), Resource::Database("prices")],
        &[],
    ),
    (
        "recommendation-service",
        &[("GET", "/recommendations")],
        &["catalog-service", "user-service"],
        &[Resource::Cache("recs")],
        &[],
    ),
    ("fraud-detection", &[("POST", "/fraud/score")], &["user-service"], &[Resource::Database("fraud_rules")], &[]),
    (
        "notification-service",
        &[],
        &["user-service"],
        &[Resource::Topic("emails.outbound")],
        &["orders.created", "payments.completed"],
    ),
    ("shipping-service", &[], &["inventory-service"], &[Resource::Database("shipments")], &["orders.created"]),
    ("email-worker", &[], &[], &[Resource::Cache("template")], &["emails.outbound"]),
];

impl Topology {
    /// The shop, cut to `count` instrumented services (at least 1). Past the shop's 14 services, generic
    /// `worker-N` services are appended, each called by an earlier one.
    pub fn shop(count: usize) -> Topology {
        let count = count.max(1);
        let kept: Vec<&Spec> = SHOP.iter().take(count).collect();
        let index_of = |name: &str| kept.iter().position(|s| s.0 == name);
        let mut services: Vec<Service> = kept
            .iter()
            .enumerate()
            .map(|(i, (name, routes, calls, resources, consumes))| Service {
                name: name.to_string(),
                routes: routes.iter().map(|(m, r)| (*m, r.to_string())).collect(),
                calls: calls.iter().filter_map(|c| index_of(c)).collect(),
                resources: resources.to_vec(),
                consumes: consumes.to_vec(),
                ipv4: ipv4(i),
                port: 8080 + (i % 10) as u16,
            })
            .collect();
        for i in services.len()..count {
            // Deterministic attachment: worker-i is called by the service i/2 (an existing, earlier one).
            let caller = i / 2;
            services[caller].calls.push(i);
            services.push(Service {
                name: format!("worker-{i}"),
                routes: vec![("POST", format!("/work/{i}"))],
                calls: Vec::new(),
                resources: vec![Resource::Database("jobs")],
                consumes: Vec::new(),
                ipv4: ipv4(i),
                port: 9000 + (i % 100) as u16,
            });
        }
        Topology { services }
    }

    /// Services consuming `topic`.
    pub fn consumers(&self, topic: &str) -> Vec<usize> {
        (0..self.services.len()).filter(|&i| self.services[i].consumes.contains(&topic)).collect()
    }

    /// Services serving HTTP routes (callable, or entry points).
    pub fn index(&self, name: &str) -> Option<usize> {
        self.services.iter().position(|s| s.name == name)
    }
}

/// Each service runs on its own host, so client and server halves of a call have different IPs.
fn ipv4(i: usize) -> String {
    format!("10.0.{}.{}", 1 + i / 200, 10 + i % 200)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shop_is_consistent_at_any_size() {
        for n in [1, 5, 14, 20] {
            let t = Topology::shop(n);
            assert_eq!(t.services.len(), n);
            for s in &t.services {
                assert!(s.calls.iter().all(|&c| c < n));
            }
        }
        let t = Topology::shop(14);
        assert_eq!(t.consumers("orders.created").len(), 2);
    }
}
