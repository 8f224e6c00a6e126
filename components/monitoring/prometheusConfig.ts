// Pure builders: the Prometheus scrape config and alert rules of one pipeline (one topic prefix).
// Metric names are those sandbox/conf/connect-jmx-exporter.yaml gives Connect's and Debezium's MBeans
// (checked against a live scrape) and those the health monitor exports (monitor/metrics.ts; docs/monitoring.md).
import * as yaml from "js-yaml";
import { syncNames } from "../../core/model";
import { deadLetterTopic, directionPrefix } from "../../core/topics";

export interface ScrapeConfigOptions {
    environment: string;
    /** The pipeline's topic prefix (`tandem:topicPrefix`). */
    pipeline: string;
    /** host:port of each Connect worker's JMX exporter. */
    connectTargets: string[];
    /**
     * Instead of connectTargets: a DNS name resolving to every worker (a headless Kubernetes Service), so
     * each worker is scraped, not whichever one a load-balanced Service picks.
     */
    connectDiscovery?: { dnsName: string; port: number };
    kafkaTargets?: string[];
    /** host:port of the health monitor (monitor/): its series get the same labels, `pipeline` among them. */
    monitorTargets?: string[];
    scrapeIntervalSeconds?: number;
    ruleFiles: string[];
}

export type ScrapeJob = { job_name: string } & (
    | { static_configs: { targets: string[]; labels: Record<string, string> }[] }
    | {
          dns_sd_configs: { names: string[]; type: "A"; port: number }[];
          relabel_configs: { target_label: string; replacement: string }[];
      }
);

export interface PrometheusConfig {
    global: { scrape_interval: string; scrape_timeout: string; evaluation_interval: string };
    rule_files: string[];
    scrape_configs: ScrapeJob[];
}

export interface AlertRule {
    alert: string;
    expr: string;
    for: string;
    labels: Record<string, string>;
    annotations: { summary: string; description: string };
}

export interface RuleFile {
    groups: { name: string; rules: AlertRule[] }[];
}

export interface AlertRuleOptions {
    pipeline: string;
    /** Debezium MilliSecondsBehindSource above this for 5m alerts (includes clock skew between hosts). */
    latencyObjectiveMs?: number;
    /** Alert when a source's queue has less than this share of its capacity left. */
    queueRemainingRatio?: number;
    /** Any dead-lettered record within this window alerts. */
    dlqWindowMinutes?: number;
    /** WAL retained by the pipeline's replication slot above this, and still growing, alerts. */
    retainedWalBytes?: number;
    /** Total lag of a sink's consumer group above this for 10m alerts. */
    consumerLagMessages?: number;
    snapshotMaxMinutes?: number;
    /** A direction's sync delay (the health monitor's canary) above this for 2m alerts (tandem:syncDelayObjectiveSeconds). */
    syncDelayObjectiveSeconds?: number;
    /** More conflicts than this on one table within 10 minutes alert. */
    conflictSpikeCount?: number;
}

export const ALERT_DEFAULTS = {
    latencyObjectiveMs: 1000,
    queueRemainingRatio: 0.1,
    dlqWindowMinutes: 10,
    retainedWalBytes: 1024 ** 3,
    consumerLagMessages: 10_000,
    snapshotMaxMinutes: 240,
    syncDelayObjectiveSeconds: 5,
    conflictSpikeCount: 100,
};

/** A direction whose sync delay is above this and still rising is stalled, not slow (TandemCanaryStalled). */
export const STALLED_DELAY_SECONDS = 60;

// Kafka topic-name characters: the prefix then needs no escaping beyond `.` in a regex, none in a label
// value, and cannot break out of a PromQL backtick string.
function checkPipeline(pipeline: string): void {
    if (!/^[A-Za-z0-9._-]+$/.test(pipeline)) throw new Error(`pipeline must be a topic prefix ([A-Za-z0-9._-]+), got "${pipeline}"`);
}

const regex = (value: string) => value.replace(/\./g, "\\.");

export function scrapeConfig(options: ScrapeConfigOptions): PrometheusConfig {
    checkPipeline(options.pipeline);
    const interval = options.scrapeIntervalSeconds ?? 15;
    if (!Number.isInteger(interval) || interval < 1) throw new Error(`scrapeIntervalSeconds must be a positive integer, got ${interval}`);
    if (options.connectTargets.length === 0 && !options.connectDiscovery)
        throw new Error("connectTargets must list at least one Connect worker");
    for (const target of [...options.connectTargets, ...(options.kafkaTargets ?? []), ...(options.monitorTargets ?? [])]) {
        // Prometheus takes host:port; the scheme belongs to the job.
        if (target.includes("/")) throw new Error(`scrape target must be host:port, got "${target}"`);
    }
    // Target labels, so every series (and the alerts built on them) says which pipeline it belongs to.
    const labels = { environment: options.environment, pipeline: options.pipeline };
    const job = (name: string, targets: string[]): ScrapeJob => ({
        job_name: `${options.pipeline}-${name}`,
        static_configs: [{ targets, labels }],
    });
    const discovery = options.connectDiscovery;
    const jobs: ScrapeJob[] = [
        discovery
            ? {
                  job_name: `${options.pipeline}-kafka-connect`,
                  dns_sd_configs: [{ names: [discovery.dnsName], type: "A", port: discovery.port }],
                  relabel_configs: Object.entries(labels).map(([target_label, replacement]) => ({ target_label, replacement })),
              }
            : job("kafka-connect", options.connectTargets),
    ];
    if (options.kafkaTargets?.length) jobs.push(job("kafka", options.kafkaTargets));
    if (options.monitorTargets?.length) jobs.push(job("monitor", options.monitorTargets));
    return {
        // Prometheus refuses a timeout longer than the interval; rules are evaluated as often as data arrives.
        global: { scrape_interval: `${interval}s`, scrape_timeout: `${Math.min(interval, 10)}s`, evaluation_interval: `${interval}s` },
        rule_files: options.ruleFiles,
        scrape_configs: jobs,
    };
}

/** PromQL label matchers of one pipeline's series, shared by the alert rules and the Grafana dashboard. */
export function pipelineSelectors(p: string) {
    checkPipeline(p);
    const toPg = directionPrefix(p, "mysql-to-postgres");
    const toMysql = directionPrefix(p, "postgres-to-mysql");
    // Debezium's MBeans name the source by topic.prefix (`name`), not by connector: match both directions.
    const servers = `name=~\`${regex(p)}\\.(mysql-to-postgres|postgres-to-mysql)\``;
    return {
        // Connector names as components/bidirectionalSync.ts gives them; a regex that matches only this
        // pipeline's four, so other pipelines on the same workers never show here.
        connectors: `connector=~\`${regex(p)}-(mysql|postgres)-(source|sink)\``,
        sinks: `connector=~\`${regex(p)}-(mysql|postgres)-sink\``,
        /** The sinks' consumer groups: Connect names a sink's group connect-<connector>. */
        sinkGroups: `consumergroup=~\`connect-${regex(p)}-(mysql|postgres)-sink\``,
        servers,
        streaming: `{context="streaming", ${servers}}`,
        /** Adds the source connector's name to Debezium series (named by server), so each names a connector. */
        withConnector: (expr: string) =>
            `label_replace(label_replace(${expr}, "connector", "${p}-mysql-source", "name", \`${regex(toPg)}\`), "connector", "${p}-postgres-source", "name", \`${regex(toMysql)}\`)`,
        slot: syncNames(p).slot,
        /** The health monitor's series: the scrape job's target labels say whose they are. */
        monitor: `pipeline="${p}"`,
    };
}

export function alertRules(options: AlertRuleOptions): RuleFile {
    const p = options.pipeline;
    checkPipeline(p);
    const t = { ...ALERT_DEFAULTS };
    for (const key of Object.keys(ALERT_DEFAULTS) as (keyof typeof ALERT_DEFAULTS)[]) {
        const value = options[key];
        if (value === undefined) continue;
        if (!Number.isFinite(value)) throw new Error(`${key} must be a number, got ${value}`);
        t[key] = value;
    }
    const { connectors, sinks, sinkGroups, servers, streaming, withConnector, slot, monitor } = pipelineSelectors(p);
    const dlq = `kafka_connect_task_error_deadletterqueue_produce_requests{${sinks}}`;
    const delay = `tandem_sync_delay_seconds{${monitor}}`;
    const quarantined = `tandem_dead_letter_records{${monitor}}`;
    const rule = (alert: string, severity: string, forDuration: string, expr: string, summary: string, description: string): AlertRule => ({
        alert,
        expr,
        for: forDuration,
        labels: { severity, pipeline: p },
        annotations: { summary, description },
    });
    const at = "on {{ $labels.instance }}";
    return {
        groups: [
            {
                name: `${p}-pipeline`,
                rules: [
                    rule(
                        "TandemConnectorFailed",
                        "critical",
                        "5m",
                        `kafka_connect_connector_status{${connectors}, status="failed"} == 1`,
                        "Connector {{ $labels.connector }} failed",
                        `Kafka Connect reports connector {{ $labels.connector }} FAILED ${at}: that direction of the sync has stopped. GET /connectors/{{ $labels.connector }}/status shows the trace; \`pulumi up\` restarts it.`,
                    ),
                    rule(
                        "TandemConnectorTaskFailed",
                        "critical",
                        "5m",
                        `kafka_connect_connector_task_status{${connectors}, status="failed"} == 1`,
                        "Task {{ $labels.task }} of connector {{ $labels.connector }} failed",
                        `Task {{ $labels.task }} of {{ $labels.connector }} is FAILED ${at}: its share of the changes is not flowing. GET /connectors/{{ $labels.connector }}/status shows the trace; \`pulumi up\` restarts failed tasks.`,
                    ),
                    rule(
                        "TandemSourceDisconnected",
                        "critical",
                        "1m",
                        // Streaming is not connected yet while the initial snapshot runs: not a fault.
                        withConnector(
                            `debezium_metrics_connected${streaming} == 0 unless on (instance, plugin, name) debezium_metrics_snapshotrunning{context="snapshot"} == 1`,
                        ),
                        "Source {{ $labels.connector }} is disconnected from its database",
                        `Debezium {{ $labels.plugin }} source {{ $labels.connector }} (server {{ $labels.name }}) reports Connected = 0 ${at}: no changes are being read.`,
                    ),
                    rule(
                        "TandemBehindSource",
                        "warning",
                        "5m",
                        withConnector(`debezium_metrics_millisecondsbehindsource${streaming} > ${t.latencyObjectiveMs}`),
                        "Source {{ $labels.connector }} is {{ $value }} ms behind its database",
                        `{{ $labels.connector }} (server {{ $labels.name }}) has been more than ${t.latencyObjectiveMs} ms behind the source for 5 minutes (the objective; the figure includes clock skew between the database and Connect hosts).`,
                    ),
                    rule(
                        "TandemSourceQueueNearlyFull",
                        "warning",
                        "5m",
                        withConnector(
                            `debezium_metrics_queueremainingcapacity${streaming} < ${t.queueRemainingRatio} * debezium_metrics_queuetotalcapacity${streaming}`,
                        ),
                        "Source {{ $labels.connector }}'s queue is nearly full",
                        `{{ $labels.connector }}'s change-event queue has less than ${t.queueRemainingRatio * 100}% of its capacity left: Kafka is not taking events as fast as the database produces them.`,
                    ),
                    rule(
                        "TandemDeadLetters",
                        "critical",
                        "0s",
                        // increase() misses records dead-lettered before a task's first scrape (a new sink
                        // failing on its backlog): a series that is new within the window and already > 0 counts too.
                        `increase(${dlq}[${t.dlqWindowMinutes}m]) > 0 or (${dlq} > 0 unless ${dlq} offset ${t.dlqWindowMinutes}m)`,
                        "Sink {{ $labels.connector }} dead-lettered records",
                        `Task {{ $labels.task }} of {{ $labels.connector }} sent {{ $value }} records to its dead-letter topic in ${t.dlqWindowMinutes}m (${deadLetterTopic(p, "mysql-to-postgres")} / ${deadLetterTopic(p, "postgres-to-mysql")}): those rows were not applied and the databases differ.`,
                    ),
                    rule(
                        "TandemReplicationSlotWalGrowing",
                        "warning",
                        "15m",
                        // Exported by the health monitor: pg_current_wal_lsn() - restart_lsn.
                        `pg_replication_slots_retained_wal_bytes{slot_name="${slot}"} > ${t.retainedWalBytes} and delta(pg_replication_slots_retained_wal_bytes{slot_name="${slot}"}[30m]) > 0`,
                        `Replication slot ${slot} retains {{ $value | humanize1024 }}B of WAL and growing`,
                        `PostgreSQL keeps WAL for slot ${slot} (read by ${p}-postgres-source) above ${t.retainedWalBytes} bytes and the amount still grows: the source is not confirming progress, and the disk will fill.`,
                    ),
                    rule(
                        "TandemConsumerLag",
                        "warning",
                        "10m",
                        // Exported by the health monitor (or a Kafka exporter); Connect names a sink's group connect-<connector>.
                        `label_replace(sum by (environment, pipeline, consumergroup) (kafka_consumergroup_lag{${sinkGroups}}), "connector", "$1", "consumergroup", "connect-(.+)") > ${t.consumerLagMessages}`,
                        "Sink {{ $labels.connector }} lags {{ $value }} messages",
                        `Consumer group {{ $labels.consumergroup }} of sink {{ $labels.connector }} has been more than ${t.consumerLagMessages} messages behind for 10 minutes.`,
                    ),
                    rule(
                        "TandemSnapshotTooLong",
                        "warning",
                        `${t.snapshotMaxMinutes}m`,
                        withConnector(`debezium_metrics_snapshotrunning{context="snapshot", ${servers}} == 1`),
                        "Snapshot of {{ $labels.connector }} runs for over " + `${t.snapshotMaxMinutes}m`,
                        `The initial snapshot of {{ $labels.connector }} has run for more than ${t.snapshotMaxMinutes} minutes; streaming starts only after it.`,
                    ),
                    rule(
                        "TandemScrapeTargetDown",
                        "critical",
                        "2m",
                        // Without its exporter every other alert of the pipeline is silent.
                        `up{pipeline="${p}"} == 0`,
                        "{{ $labels.job }} target {{ $labels.instance }} is down",
                        `Prometheus cannot scrape {{ $labels.instance }} (job {{ $labels.job }}) of pipeline ${p}: its connectors are unmonitored.`,
                    ),
                    // The health monitor's series (monitor/metrics.ts): its canary measures each direction end to end.
                    rule(
                        "TandemSyncDelayHigh",
                        "warning",
                        "2m",
                        `${delay} > ${t.syncDelayObjectiveSeconds}`,
                        "Sync delay {{ $labels.direction }} is {{ $value | humanizeDuration }}",
                        `A change made on one side takes more than ${t.syncDelayObjectiveSeconds}s (the objective, tandem:syncDelayObjectiveSeconds) to reach the other in direction {{ $labels.direction }}, measured by the health monitor's canary rows for 2 minutes. Its /health names the cause it sees (connectors, lag, databases).`,
                    ),
                    rule(
                        "TandemCanaryStalled",
                        "critical",
                        "1m",
                        // A canary that does not arrive ages with the clock (slope 1); a slow but moving direction levels off.
                        `${delay} > ${STALLED_DELAY_SECONDS} and deriv(${delay}[5m]) > 0.5`,
                        "Direction {{ $labels.direction }} has stalled: no canary for {{ $value | humanizeDuration }}",
                        `The health monitor's last canary in direction {{ $labels.direction }} has not arrived for over ${STALLED_DELAY_SECONDS}s and its delay keeps rising: changes are not crossing in that direction. Check its connectors (TandemConnector* alerts), the consumer lag and the monitor's /health.`,
                    ),
                    rule(
                        "TandemConflictSpike",
                        "warning",
                        "0s",
                        `sum by (environment, pipeline, table) (increase(tandem_conflicts_total{${monitor}}[10m])) > ${t.conflictSpikeCount}`,
                        "{{ $value | humanize }} conflicts on table {{ $labels.table }} in 10m",
                        `Both sides changed the same rows of {{ $labels.table }} more than ${t.conflictSpikeCount} times within 10 minutes; the conflict policy picked the winners (tandem_conflicts_total by winner). Usually two applications writing the same rows on both sides: find out which.`,
                    ),
                    rule(
                        "TandemWatchdogGaveUp",
                        "critical",
                        "0m",
                        `tandem_watchdog_gave_up{${monitor}} == 1`,
                        "Watchdog gave up restarting {{ $labels.connector }} ({{ $labels.task }})",
                        `The health monitor's watchdog restarted {{ $labels.connector }} (task {{ $labels.task }}; "connector": the connector itself) as often as it may and it still fails: it no longer tries. GET /connectors/{{ $labels.connector }}/status shows the trace; fix the cause, then \`pulumi up\` or a restart through the REST API.`,
                    ),
                    rule(
                        "TandemDeadLettersQuarantined",
                        "critical",
                        "0s",
                        // The records in each dead-letter topic, counted by the monitor: source-side quarantines too
                        // (rows over tandem:maxRowBytes, NaN), which Connect's sink metrics never see. As in
                        // TandemDeadLetters, a series new within the window and already > 0 counts too.
                        `delta(${quarantined}[${t.dlqWindowMinutes}m]) > 0 or (${quarantined} > 0 unless ${quarantined} offset ${t.dlqWindowMinutes}m)`,
                        "Records quarantined in {{ $labels.topic }} ({{ $labels.direction }})",
                        `Dead-letter topic {{ $labels.topic }} gained records within ${t.dlqWindowMinutes}m: rows of direction {{ $labels.direction }} the sync did not apply (a sink refused them, or the source could not carry them), so the databases differ on them. \`tandem dlq show --direction {{ $labels.direction }}\` shows them and why; fix the cause and replay them (\`tandem dlq replay\`).`,
                    ),
                ],
            },
        ],
    };
}

/** YAML for a config or rules file (no line folding, so PromQL stays on one line). */
export function toYaml(document: PrometheusConfig | RuleFile): string {
    return yaml.dump(document, { lineWidth: -1, noRefs: true });
}
