// Pure builder: the Grafana dashboard of one pipeline (provisioned into dev's Grafana; importable anywhere
// else), on the same series and label matchers as the alert rules (prometheusConfig.ts).
import { pipelineSelectors } from "./prometheusConfig";

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
    unit?: string;
    width: number;
};

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

export function pipelineDashboard(pipeline: string): Dashboard {
    const { connectors, sinks, streaming, withConnector, slot } = pipelineSelectors(pipeline);
    const orZero = (expr: string) => `(${expr}) or vector(0)`;
    const specs: PanelSpec[] = [
        {
            type: "stat",
            width: 6,
            title: "Connectors running",
            description: "Connectors of this pipeline Kafka Connect reports RUNNING (4 when both directions flow).",
            expr: orZero(`sum(kafka_connect_connector_status{${connectors}, status="running"})`),
            options: { colorMode: "background" },
            unit: "none",
        },
        {
            type: "stat",
            width: 6,
            title: "Failed connectors and tasks",
            description:
                "FAILED connectors plus FAILED tasks: a direction of the sync has stopped (alerts TandemConnectorFailed / TandemConnectorTaskFailed).",
            expr: `${orZero(`sum(kafka_connect_connector_status{${connectors}, status="failed"})`)} + ${orZero(`sum(kafka_connect_connector_task_status{${connectors}, status="failed"})`)}`,
            options: { colorMode: "background" },
            unit: "none",
        },
        {
            type: "stat",
            width: 6,
            title: "Sources connected",
            description: "Debezium sources connected to their database (2 when both stream; TandemSourceDisconnected).",
            expr: orZero(`sum(debezium_metrics_connected${streaming})`),
            options: { colorMode: "background" },
            unit: "none",
        },
        {
            type: "stat",
            width: 6,
            title: "Dead-lettered records",
            description:
                "Records the sinks could not apply and sent to their dead-letter topics: the databases differ on those rows (TandemDeadLetters).",
            expr: orZero(`sum(kafka_connect_task_error_deadletterqueue_produce_requests{${sinks}})`),
            options: { colorMode: "background" },
            unit: "none",
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
        const { expr, legend, unit, width, ...panel } = spec;
        const red =
            panel.title === "Connectors running"
                ? thresholds(4, true)
                : panel.title === "Sources connected"
                  ? thresholds(2, true)
                  : thresholds(1);
        panels.push({
            ...panel,
            id: index + 1,
            gridPos: { x, y, w: width, h: height },
            datasource: PROMETHEUS_DATASOURCE,
            targets: [{ refId: "A", expr, legendFormat: legend ?? "" }],
            fieldConfig: { defaults: { unit: unit ?? "none", ...(spec.type === "stat" ? { thresholds: red } : {}) }, overrides: [] },
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
