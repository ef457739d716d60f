//! Prometheus metrics, served at `/metrics`.

use std::sync::Arc;

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// Every metric the server keeps; cheap to clone (the metrics are shared).
#[derive(Clone)]
pub struct Metrics {
    pub connections: Gauge,
    pub open_documents: Gauge,
    pub updates_received: Counter,
    pub updates_committed: Counter,
    pub updates_refused: Counter,
    pub commit_seconds: Histogram,
    pub bytes_in: Counter,
    pub bytes_out: Counter,
    pub connections_closed_slow: Counter,
    pub protocol_errors: Counter,
    pub compactions: Counter,
    pub documents_loaded: Counter,
    pub remote_notifications: Counter,
    registry: Arc<Registry>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("samskriv");
        let connections = Gauge::default();
        let open_documents = Gauge::default();
        let updates_received = Counter::default();
        let updates_committed = Counter::default();
        let updates_refused = Counter::default();
        // 50 µs … ~1.6 s
        let commit_seconds = Histogram::new(exponential_buckets(0.000_05, 2.0, 16));
        let bytes_in = Counter::default();
        let bytes_out = Counter::default();
        let connections_closed_slow = Counter::default();
        let protocol_errors = Counter::default();
        let compactions = Counter::default();
        let documents_loaded = Counter::default();
        let remote_notifications = Counter::default();
        registry.register(
            "connections",
            "Open WebSocket connections",
            connections.clone(),
        );
        registry.register(
            "open_documents",
            "Documents loaded in memory",
            open_documents.clone(),
        );
        registry.register(
            "updates_received",
            "Document updates received from clients",
            updates_received.clone(),
        );
        registry.register(
            "updates_committed",
            "Document updates committed to storage",
            updates_committed.clone(),
        );
        registry.register(
            "updates_refused",
            "Document updates refused (read-only, invalid, too large)",
            updates_refused.clone(),
        );
        registry.register(
            "commit_seconds",
            "Time to commit one group of updates",
            commit_seconds.clone(),
        );
        registry.register(
            "bytes_in",
            "WebSocket payload bytes received",
            bytes_in.clone(),
        );
        registry.register(
            "bytes_out",
            "WebSocket payload bytes sent",
            bytes_out.clone(),
        );
        registry.register(
            "connections_closed_slow",
            "Connections closed because their send queue was full",
            connections_closed_slow.clone(),
        );
        registry.register(
            "protocol_errors",
            "Connections closed for a malformed frame",
            protocol_errors.clone(),
        );
        registry.register(
            "compactions",
            "Update logs folded into a snapshot",
            compactions.clone(),
        );
        registry.register(
            "documents_loaded",
            "Documents loaded from storage into memory",
            documents_loaded.clone(),
        );
        registry.register(
            "remote_notifications",
            "Notifications of other processes' commits and presence",
            remote_notifications.clone(),
        );
        Self {
            connections,
            open_documents,
            updates_received,
            updates_committed,
            updates_refused,
            commit_seconds,
            bytes_in,
            bytes_out,
            connections_closed_slow,
            protocol_errors,
            compactions,
            documents_loaded,
            remote_notifications,
            registry: Arc::new(registry),
        }
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}
