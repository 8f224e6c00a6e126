// Every series the health monitor exports, declared once (prom-client). Names follow Prometheus conventions
// (base units, `_total` counters); the slot and consumer-lag series keep postgres_exporter's and
// kafka_exporter's names, which the alert rules already use (docs/monitoring.md).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

export function monitorMetrics() {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    // Gauges that prom-client names with `_total` (a counter's suffix): `promtool check metrics` rejects them.
    for (const name of ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"])
        registry.removeSingleMetric(name);
    const r = { registers: [registry] };
    return {
        registry,
        syncDelay: new Gauge({
            name: "tandem_sync_delay_seconds",
            help: "Age of the oldest canary not yet seen on the other side, else the last observed canary delay.",
            labelNames: ["direction"] as const,
            ...r,
        }),
        canaryDelay: new Histogram({
            name: "tandem_canary_delay_seconds",
            help: "Observed canary delays: write on one side to arrival on the other, both taken in the databases.",
            labelNames: ["direction"] as const,
            buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
            ...r,
        }),
        reconcileDifferences: new Gauge({
            name: "tandem_reconcile_differences",
            help: "Differences the last `tandem reconcile` of each table found (0 after a repair).",
            labelNames: ["table"] as const,
            ...r,
        }),
        reconcileLastRun: new Gauge({
            name: "tandem_reconcile_last_run_timestamp_seconds",
            help: "When the last `tandem reconcile` of each table finished (Unix time).",
            labelNames: ["table"] as const,
            ...r,
        }),
        connectorStatus: new Gauge({
            name: "tandem_connector_status",
            help: "1 for the state each of the pipeline's connectors is in (absent: not on the Connect cluster).",
            labelNames: ["connector", "state"] as const,
            ...r,
        }),
        taskStatus: new Gauge({
            name: "tandem_connector_task_status",
            help: "1 for the state each task of the pipeline's connectors is in.",
            labelNames: ["connector", "task", "state"] as const,
            ...r,
        }),
        watchdogRestarts: new Counter({
            name: "tandem_watchdog_restarts_total",
            help: "Restarts of failed connectors and tasks made by the watchdog.",
            labelNames: ["connector", "task"] as const,
            ...r,
        }),
        watchdogAttempts: new Gauge({
            name: "tandem_watchdog_attempts",
            help: "Consecutive restarts of a connector or task still failing (0 once it has run stably).",
            labelNames: ["connector", "task"] as const,
            ...r,
        }),
        watchdogGaveUp: new Gauge({
            name: "tandem_watchdog_gave_up",
            help: "1 when the watchdog stopped restarting a connector or task after its attempt limit.",
            labelNames: ["connector", "task"] as const,
            ...r,
        }),
        consumerLag: new Gauge({
            name: "kafka_consumergroup_lag",
            help: "Messages a sink's consumer group has not committed yet, per partition (end offset minus committed offset).",
            labelNames: ["consumergroup", "topic", "partition"] as const,
            ...r,
        }),
        deadLetters: new Gauge({
            name: "tandem_dead_letter_records",
            help: "Records in a direction's dead-letter topic (quarantined rows not yet removed by retention).",
            labelNames: ["direction", "topic"] as const,
            ...r,
        }),
        slotRetainedWal: new Gauge({
            name: "pg_replication_slots_retained_wal_bytes",
            help: "WAL the replication slot keeps on the PostgreSQL server, in bytes.",
            labelNames: ["slot_name"] as const,
            ...r,
        }),
        slotActive: new Gauge({
            name: "pg_replication_slots_active",
            help: "1 while a reader (the PostgreSQL source) is attached to the replication slot.",
            labelNames: ["slot_name"] as const,
            ...r,
        }),
        slotWalStatus: new Gauge({
            name: "tandem_replication_slot_wal_status",
            help: "1 for PostgreSQL's verdict on the slot's WAL (reserved, extended, unreserved, lost).",
            labelNames: ["slot_name", "wal_status"] as const,
            ...r,
        }),
        binlogRetention: new Gauge({
            name: "tandem_mysql_binlog_retention_seconds",
            help: "How long the MySQL/MariaDB server keeps binlog files (0: forever).",
            ...r,
        }),
        binlogBytes: new Gauge({
            name: "tandem_mysql_binlog_bytes",
            help: "Binlog the MySQL/MariaDB server keeps, in bytes.",
            ...r,
        }),
        binlogBehind: new Gauge({
            name: "tandem_mysql_source_binlog_behind_bytes",
            help: "Binlog written after the MySQL source's committed position, in bytes.",
            ...r,
        }),
        binlogMargin: new Gauge({
            name: "tandem_mysql_source_binlog_margin_bytes",
            help: "Binlog in files older than the one the MySQL source reads: what purging removes before the source's own file (0: its file is next).",
            ...r,
        }),
        conflicts: new Counter({
            name: "tandem_conflicts_total",
            help: "Conflicts recorded by the sync since the monitor started, by table and winning side.",
            labelNames: ["table", "winner"] as const,
            ...r,
        }),
        probeUp: new Gauge({
            name: "tandem_probe_up",
            help: "1 when the last probe of a dependency (mysql, postgres, kafka, connect) answered.",
            labelNames: ["target"] as const,
            ...r,
        }),
        probeDuration: new Gauge({
            name: "tandem_probe_duration_seconds",
            help: "Duration of the last probe round of a dependency.",
            labelNames: ["target"] as const,
            ...r,
        }),
        health: new Gauge({
            name: "tandem_health_status",
            help: "The monitor's verdict: 0 ok, 1 degraded, 2 failing (reasons at /health).",
            ...r,
        }),
    };
}

export type MonitorMetrics = ReturnType<typeof monitorMetrics>;
