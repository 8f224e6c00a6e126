// Pure builder: the Grafana dashboard of one pipeline (provisioned into dev's Grafana; importable anywhere
// else), on the same series and label matchers as the alert rules (prometheusConfig.ts).
import { ALERT_DEFAULTS, pipelineSelectors } from "./prometheusConfig";

/** The provisioned Prometheus data source every panel uses (components/prometheus.ts DevTools). */
export const PROMETHEUS_DATASOURCE = { type: "prometheus", uid: "prometheus" } as const;

export interface DashboardTarget {
    refId: string;
    expr: string;
    legendFormat: string;
}

export interface DashboardPanel {
    id: number;
    type: "stat" | "timeseries";
    title: string;
    description: string;
    gridPos: { x: number; y: number; w: number; h: number };
    datasource: typeof PROMETHEUS_DATASOURCE;
    targets: DashboardTarget[];
    fieldConfig: { defaults: { unit: string; thresholds?: unknown }; overrides: unknown[] };
    options?: Record<string, unknown>;
}

export interface Dashboard {
    uid: string;
    title: string;
    tags: string[];
    schemaVersion: number;
    version: number;
    refresh: string;
    time: { from: string; to: string };
    panels: DashboardPanel[];
}

type PanelSpec = Omit<DashboardPanel, "id" | "gridPos" | "datasource" | "targets" | "fieldConfig"> & {
    expr: string;
    legend?: string;
    /** More queries on the same panel (refId B, C, ...). */
    more?: { expr: string; legend: string }[];
    unit?: string;
    width: number;
    /** stat: red from this value up (default 1), or below it with `below`. */
    red?: { value: number; below?: boolean };
};

export interface DashboardOptions {
    /** The sync delay objective (tandem:syncDelayObjectiveSeconds): the delay stat turns red above it. */
    syncDelayObjectiveSeconds?: number;
}

/** Red when the value is above `red` (or below it, with `redBelow`). */
function thresholds(red: number, redBelow = false) {
    return {
        mode: "absolute",
        steps: redBelow
            ? [
                  { color: "red", value: null },
                  { color: "green", value: red },
              ]
            : [
                  { color: "green", value: null },
                  { color: "red", value: red },
              ],
    };
}

export function pipelineDashboard(pipeline: string, options: DashboardOptions = {}): Dashboard {
    const { connectors, sinks, sinkGroups, streaming, withConnector, slot, monitor } = pipelineSelectors(pipeline);
    const objective = options.syncDelayObjectiveSeconds ?? ALERT_DEFAULTS.syncDelayObjectiveSeconds;
    const orZero = (expr: string) => `(${expr}) or vector(0)`;
    const specs: PanelSpec[] = [
        {
            type: "stat",
            width: 4,
            title: "Connectors running",
            description: "Connectors of this pipeline Kafka Connect reports RUNNING (4 when both directions flow).",
            expr: orZero(`sum(kafka_connect_connector_status{${connectors}, status="running"})`),
            options: { colorMode: "background" },
            unit: "none",
            red: { value: 4, below: true },
        },
        {
            type: "stat",
            width: 4,
            title: "Failed connectors and tasks",
            description:
                "FAILED connectors plus FAILED tasks: a direction of the sync has stopped (alerts TandemConnectorFailed / TandemConnectorTaskFailed).",
            expr: `${orZero(`sum(kafka_connect_connector_status{${connectors}, status="failed"})`)} + ${orZero(`sum(kafka_connect_connector_task_status{${connectors}, status="failed"})`)}`,
            options: { colorMode: "background" },
            unit: "none",
        },
        {
            type: "stat",
            width: 4,
            title: "Sources connected",
            description: "Debezium sources connected to their database (2 when both stream; TandemSourceDisconnected).",
            expr: orZero(`sum(debezium_metrics_connected${streaming})`),
            options: { colorMode: "background" },
            unit: "none",
            red: { value: 2, below: true },
        },
        {
            type: "stat",
            width: 4,
            title: "Dead-lettered records",
            description:
                "Records the sinks could not apply and sent to their dead-letter topics: the databases differ on those rows (TandemDeadLetters).",
            expr: orZero(`sum(kafka_connect_task_error_deadletterqueue_produce_requests{${sinks}})`),
            options: { colorMode: "background" },
            unit: "none",
        },
        // The health monitor's series (monitor/metrics.ts): empty while no monitor is scraped.
        {
            type: "stat",
            width: 4,
            title: "Worst sync delay",
            description: `The larger of the two directions' sync delay, measured end to end by the health monitor's canary rows; red above the objective (${objective}s, TandemSyncDelayHigh).`,
            expr: `max(tandem_sync_delay_seconds{${monitor}})`,
            options: { colorMode: "background" },
            unit: "s",
            red: { value: objective },
        },
        {
            type: "stat",
            width: 4,
            title: "Watchdog gave up",
            description:
                "Connectors and tasks the health monitor's watchdog stopped restarting after its attempt limit: they stay FAILED until someone fixes them (TandemWatchdogGaveUp).",
            expr: orZero(`sum(tandem_watchdog_gave_up{${monitor}})`),
            options: { colorMode: "background" },
            unit: "none",
        },
        {
            type: "timeseries",
            width: 12,
            title: "Sync delay",
            description:
                "Per direction: how long a change made on one side takes to appear on the other (the health monitor's canary; a canary not yet arrived counts its age). TandemSyncDelayHigh, TandemCanaryStalled.",
            expr: `tandem_sync_delay_seconds{${monitor}}`,
            legend: "{{direction}}",
            unit: "s",
        },
        {
            type: "timeseries",
            width: 12,
            title: "Canary delay p95",
            description: "95th percentile of the canary delays observed in the last 5 minutes, per direction.",
            expr: `histogram_quantile(0.95, sum by (direction, le) (rate(tandem_canary_delay_seconds_bucket{${monitor}}[5m])))`,
            legend: "{{direction}}",
            unit: "s",
        },
        {
            type: "timeseries",
            width: 12,
            title: "Behind source",
            description: "How far each source is behind its database's commit time (TandemBehindSource; includes clock skew).",
            expr: withConnector(`debezium_metrics_millisecondsbehindsource${streaming}`),
            legend: "{{connector}}",
            unit: "ms",
        },
        {
            type: "timeseries",
            width: 12,
            title: "Change events read",
            description:
                "Change events each source reads from its database, echoes of the sync's own writes included (they are filtered later).",
            expr: `sum by (connector) (${withConnector(`rate(debezium_metrics_totalnumberofeventsseen${streaming}[1m])`)})`,
            legend: "{{connector}}",
            unit: "ops",
        },
        {
            type: "timeseries",
            width: 12,
            title: "Records written by the sinks",
            description: "Records each sink task writes to its database.",
            expr: `sum by (connector) (rate(kafka_connect_sink_task_sink_record_send{${sinks}}[1m]))`,
            legend: "{{connector}}",
            unit: "ops",
        },
        {
            type: "timeseries",
            width: 12,
            title: "Source queue free",
            description:
                "Free share of each source's change-event queue; near 0 means Kafka does not keep up (TandemSourceQueueNearlyFull).",
            expr: withConnector(`debezium_metrics_queueremainingcapacity${streaming} / debezium_metrics_queuetotalcapacity${streaming}`),
            legend: "{{connector}}",
            unit: "percentunit",
        },
        {
            type: "timeseries",
            width: 12,
            title: "Record errors",
            description:
                "Record-level errors per connector (conversion, transformation, write), whether dead-lettered or failing the task.",
            expr: `sum by (connector) (rate(kafka_connect_task_error_total_record_errors{${connectors}}[5m]))`,
            legend: "{{connector}}",
            unit: "ops",
        },
        {
            type: "timeseries",
            width: 12,
            title: "Replication slot WAL retained",
            description: `WAL PostgreSQL keeps for slot ${slot} (TandemReplicationSlotWalGrowing). Exported by the health monitor; empty until it runs.`,
            expr: `pg_replication_slots_retained_wal_bytes{slot_name="${slot}"}`,
            legend: "{{slot_name}}",
            unit: "bytes",
        },
        {
            type: "timeseries",
            width: 12,
            title: "Consumer lag",
            description: "Messages each sink's consumer group has not committed yet, all partitions (TandemConsumerLag).",
            expr: `sum by (consumergroup) (kafka_consumergroup_lag{${sinkGroups}})`,
            legend: "{{consumergroup}}",
            unit: "none",
        },
        {
            type: "timeseries",
            width: 12,
            title: "Conflicts",
            description: "Rows both sides changed, per table and the side whose version won (TandemConflictSpike).",
            expr: `sum by (table, winner) (rate(tandem_conflicts_total{${monitor}}[5m]))`,
            legend: "{{table}}: {{winner}} won",
            unit: "ops",
        },
        {
            type: "timeseries",
            width: 12,
            title: "Dead-letter records by direction",
            description:
                "Records held in each direction's dead-letter topic (quarantined by the sinks or refused by the sources), counted by the health monitor; they leave with the topic's retention (TandemDeadLettersQuarantined).",
            expr: `sum by (direction) (tandem_dead_letter_records{${monitor}})`,
            legend: "{{direction}}",
            unit: "none",
        },
        {
            type: "timeseries",
            width: 12,
            title: "Watchdog restarts",
            description:
                "Restarts of failed connectors and tasks by the health monitor's watchdog in the last 15 minutes, and those it gave up on (TandemWatchdogGaveUp).",
            expr: `sum by (connector, task) (increase(tandem_watchdog_restarts_total{${monitor}}[15m]))`,
            legend: "restarts {{connector}} {{task}}",
            more: [{ expr: `tandem_watchdog_gave_up{${monitor}} == 1`, legend: "gave up {{connector}} {{task}}" }],
            unit: "none",
        },
    ];
    const panels: DashboardPanel[] = [];
    let x = 0;
    let y = 0;
    for (const [index, spec] of specs.entries()) {
        const height = spec.type === "stat" ? 4 : 8;
        if (x + spec.width > 24) {
            x = 0;
            y += panels[panels.length - 1].gridPos.h;
        }
        const { expr, legend, more, unit, width, red, ...panel } = spec;
        const queries = [{ expr, legend: legend ?? "" }, ...(more ?? [])];
        panels.push({
            ...panel,
            id: index + 1,
            gridPos: { x, y, w: width, h: height },
            datasource: PROMETHEUS_DATASOURCE,
            targets: queries.map((query, i) => ({ refId: String.fromCharCode(65 + i), expr: query.expr, legendFormat: query.legend })),
            fieldConfig: {
                defaults: {
                    unit: unit ?? "none",
                    ...(spec.type === "stat" ? { thresholds: thresholds(red?.value ?? 1, red?.below) } : {}),
                },
                overrides: [],
            },
        });
        x += width;
    }
    return {
        uid: `tandem-${pipeline}`.slice(0, 40),
        title: `${pipeline}: MySQL/MariaDB <-> PostgreSQL sync (tandem)`,
        tags: [...new Set(["tandem", pipeline])],
        schemaVersion: 39,
        version: 1,
        refresh: "30s",
        time: { from: "now-1h", to: "now" },
        panels,
    };
}

/** Grafana's file provisioning: where dev's Grafana container finds the dashboard JSON. */
export const DASHBOARD_FOLDER = "/var/lib/grafana/dashboards";

export function dashboardProvisioning(): string {
    return [
        "apiVersion: 1",
        "providers:",
        "  - name: tandem",
        "    folder: tandem",
        "    type: file",
        "    allowUiUpdates: false",
        "    options:",
        `      path: ${DASHBOARD_FOLDER}`,
        "",
    ].join("\n");
}
