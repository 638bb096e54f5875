//! Which query API `config.json`'s `backend` names, with what messages say about each: its product
//! name, its config value, and how to let this page's origin call it. Pure, so the wording is tested.

/// The query APIs Spanscope reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BackendKind {
    /// Zipkin's v2 API (`/api/v2/…`).
    #[default]
    Zipkin,
    /// Jaeger v2's API v3 (`/api/v3/…`, OTLP JSON).
    Jaeger,
    /// The HTTP JSON API Jaeger UI has always used (`/api/…`, Jaeger JSON): Jaeger v1, and v2 up to 2.20.
    JaegerLegacy,
}

impl BackendKind {
    pub const ALL: [BackendKind; 3] = [BackendKind::Zipkin, BackendKind::Jaeger, BackendKind::JaegerLegacy];

    /// The value of `backend` in `config.json` that chooses it.
    pub fn config_value(self) -> &'static str {
        match self {
            BackendKind::Zipkin => "zipkin",
            BackendKind::Jaeger => "jaeger",
            BackendKind::JaegerLegacy => "jaeger-legacy",
        }
    }

    /// The kind a `backend` value names.
    pub fn from_config_value(value: &str) -> Option<BackendKind> {
        BackendKind::ALL.into_iter().find(|k| k.config_value() == value.trim())
    }

    /// The server's product name, for messages ("Zipkin has no trace …").
    pub fn name(self) -> &'static str {
        match self {
            BackendKind::Zipkin => "Zipkin",
            BackendKind::Jaeger | BackendKind::JaegerLegacy => "Jaeger",
        }
    }

    /// The API by name, where the two Jaeger APIs must be told apart.
    pub fn api_name(self) -> &'static str {
        match self {
            BackendKind::Zipkin => "Zipkin's API v2",
            BackendKind::Jaeger => "Jaeger's API v3",
            BackendKind::JaegerLegacy => "Jaeger's legacy HTTP API",
        }
    }

    /// What lets a page on another origin call this server (OTEL_JAEGER.md, ZIPKIN.md).
    pub fn cors_advice(self) -> &'static str {
        match self {
            BackendKind::Zipkin => "set ZIPKIN_QUERY_ALLOWED_ORIGINS on the Zipkin server",
            BackendKind::Jaeger => {
                "allow it in the cors settings of the jaeger_query extension's http server (Jaeger v2: \
                 extensions.jaeger_query.http.cors.allowed_origins)"
            }
            BackendKind::JaegerLegacy => {
                "allow it on the Jaeger query service (v1 has no CORS setting: add --query.additional-headers \
                 \"Access-Control-Allow-Origin: <this origin>\"; v2: extensions.jaeger_query.http.cors.allowed_origins)"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_values_round_trip_and_unknown_ones_are_none() {
        for kind in BackendKind::ALL {
            assert_eq!(BackendKind::from_config_value(kind.config_value()), Some(kind));
        }
        assert_eq!(BackendKind::from_config_value(" jaeger-legacy "), Some(BackendKind::JaegerLegacy));
        assert_eq!(BackendKind::from_config_value("tempo"), None);
        assert_eq!(BackendKind::default(), BackendKind::Zipkin);
        assert_eq!(BackendKind::JaegerLegacy.name(), "Jaeger");
        assert!(BackendKind::JaegerLegacy.cors_advice().contains("--query.additional-headers"));
    }
}
