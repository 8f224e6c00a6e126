import * as assert from "node:assert/strict";
import * as yaml from "js-yaml";
import { AlertRule, alertRules, scrapeConfig, toYaml } from "../../../components/monitoring/prometheusConfig";

const base = {
    environment: "prod",
    pipeline: "tandem",
    connectTargets: ["connect-0:9404", "connect-1:9404"],
    ruleFiles: ["tandem-rules.yml"],
};

const ALERTS = [
    "TandemConnectorFailed",
    "TandemConnectorTaskFailed",
    "TandemSourceDisconnected",
    "TandemBehindSource",
    "TandemSourceQueueNearlyFull",
    "TandemDeadLetters",
    "TandemReplicationSlotWalGrowing",
    "TandemConsumerLag",
    "TandemSnapshotTooLong",
    "TandemScrapeTargetDown",
    "TandemSyncDelayHigh",
    "TandemCanaryStalled",
    "TandemConflictSpike",
    "TandemWatchdogGaveUp",
    "TandemDeadLettersQuarantined",
];

/** Alerts on the health monitor's series: about a direction, a table or a dead-letter topic, not a connector. */
const MONITOR_ALERTS = ["TandemSyncDelayHigh", "TandemCanaryStalled", "TandemConflictSpike", "TandemDeadLettersQuarantined"];

function byName(rules: AlertRule[]): Record<string, AlertRule> {
    return Object.fromEntries(rules.map((rule) => [rule.alert, rule]));
}

describe("prometheusConfig: scrapeConfig", () => {
    it("scrapes the Connect workers with the pipeline's labels and loads the rule files", () => {
        const config = scrapeConfig({ ...base, scrapeIntervalSeconds: 30 });
        assert.deepEqual(config.global, { scrape_interval: "30s", scrape_timeout: "10s", evaluation_interval: "30s" });
        assert.deepEqual(config.rule_files, ["tandem-rules.yml"]);
        assert.deepEqual(config.scrape_configs, [
            {
                job_name: "tandem-kafka-connect",
                static_configs: [{ targets: ["connect-0:9404", "connect-1:9404"], labels: { environment: "prod", pipeline: "tandem" } }],
            },
        ]);
    });

    it("discovers every worker through a DNS name (headless Service) when given one, with the same labels", () => {
        const [job] = scrapeConfig({
            ...base,
            connectTargets: [],
            connectDiscovery: { dnsName: "tandem-connect-workers.tandem.svc", port: 9404 },
        }).scrape_configs;
        assert.deepEqual(job, {
            job_name: "tandem-kafka-connect",
            dns_sd_configs: [{ names: ["tandem-connect-workers.tandem.svc"], type: "A", port: 9404 }],
            relabel_configs: [
                { target_label: "environment", replacement: "prod" },
                { target_label: "pipeline", replacement: "tandem" },
            ],
        });
    });

    it("adds broker and health-monitor jobs only when they have targets", () => {
        const jobs = scrapeConfig({ ...base, kafkaTargets: ["kafka-0:9404"], monitorTargets: ["monitor:9100"] }).scrape_configs;
        assert.deepEqual(
            jobs.map((job) => job.job_name),
            ["tandem-kafka-connect", "tandem-kafka", "tandem-monitor"],
        );
        assert.deepEqual(jobs[2], {
            job_name: "tandem-monitor",
            static_configs: [{ targets: ["monitor:9100"], labels: { environment: "prod", pipeline: "tandem" } }],
        });
        assert.equal(scrapeConfig({ ...base, kafkaTargets: [], monitorTargets: [] }).scrape_configs.length, 1);
    });

    it("defaults to 15s and keeps the timeout within a short interval", () => {
        assert.deepEqual(scrapeConfig(base).global, { scrape_interval: "15s", scrape_timeout: "10s", evaluation_interval: "15s" });
        assert.equal(scrapeConfig({ ...base, scrapeIntervalSeconds: 1 }).global.scrape_timeout, "1s");
    });

    it("refuses configs Prometheus would reject or that scrape nothing", () => {
        assert.throws(() => scrapeConfig({ ...base, connectTargets: [] }), /at least one Connect worker/);
        assert.throws(() => scrapeConfig({ ...base, connectTargets: ["http://connect:9404/metrics"] }), /host:port/);
        assert.throws(() => scrapeConfig({ ...base, scrapeIntervalSeconds: 0.5 }), /positive integer/);
        assert.throws(() => scrapeConfig({ ...base, pipeline: "bad prefix" }), /topic prefix/);
    });
});

describe("prometheusConfig: alertRules", () => {
    const file = alertRules({ pipeline: "tandem" });
    const rules = byName(file.groups[0].rules);

    it("has one group with every alert, each with expr, for, severity and a summary and description", () => {
        assert.equal(file.groups.length, 1);
        assert.equal(file.groups[0].name, "tandem-pipeline");
        assert.deepEqual(Object.keys(rules), ALERTS);
        for (const rule of Object.values(rules)) {
            assert.match(rule.expr, /\S/);
            assert.match(rule.for, /^\d+[smh]$/);
            assert.ok(["critical", "warning"].includes(rule.labels.severity), rule.alert);
            assert.equal(rule.labels.pipeline, "tandem");
            assert.ok(rule.annotations.summary && rule.annotations.description, rule.alert);
        }
    });

    it("names the connector (and task) in every alert about one", () => {
        const notAboutAConnector = ["TandemReplicationSlotWalGrowing", "TandemScrapeTargetDown", ...MONITOR_ALERTS];
        for (const name of ALERTS.filter((alert) => !notAboutAConnector.includes(alert))) {
            assert.match(rules[name].annotations.summary, /\{\{ \$labels\.connector \}\}/, name);
        }
        assert.match(rules.TandemConnectorTaskFailed.annotations.summary, /\{\{ \$labels\.task \}\}/);
        assert.match(rules.TandemWatchdogGaveUp.annotations.summary, /\{\{ \$labels\.task \}\}/);
        for (const name of ["TandemSyncDelayHigh", "TandemCanaryStalled", "TandemDeadLettersQuarantined"])
            assert.match(rules[name].annotations.summary, /\{\{ \$labels\.direction \}\}/, name);
        assert.match(rules.TandemConflictSpike.annotations.summary, /\{\{ \$labels\.table \}\}/);
        assert.match(rules.TandemReplicationSlotWalGrowing.annotations.description, /tandem-postgres-source/);
    });

    it("uses the Connect metric names the JMX exporter rules produce, scoped to the pipeline's four connectors", () => {
        const connectors = "connector=~`tandem-(mysql|postgres)-(source|sink)`";
        assert.equal(rules.TandemConnectorFailed.expr, `kafka_connect_connector_status{${connectors}, status="failed"} == 1`);
        assert.equal(rules.TandemConnectorTaskFailed.expr, `kafka_connect_connector_task_status{${connectors}, status="failed"} == 1`);
        assert.equal(rules.TandemConnectorFailed.for, "5m");
        assert.equal(rules.TandemConnectorTaskFailed.for, "5m");
        const dlq = "kafka_connect_task_error_deadletterqueue_produce_requests{connector=~`tandem-(mysql|postgres)-sink`}";
        assert.equal(rules.TandemDeadLetters.expr, `increase(${dlq}[10m]) > 0 or (${dlq} > 0 unless ${dlq} offset 10m)`);
        assert.equal(rules.TandemDeadLetters.for, "0s");
        assert.match(rules.TandemDeadLetters.annotations.description, /tandem\.dlq\.mysql-to-postgres \/ tandem\.dlq\.postgres-to-mysql/);
    });

    it("reads Debezium's streaming metrics of both sources and maps their server name to the connector", () => {
        const streaming = '{context="streaming", name=~`tandem\\.(mysql-to-postgres|postgres-to-mysql)`}';
        const behind = rules.TandemBehindSource.expr;
        assert.ok(behind.includes(`debezium_metrics_millisecondsbehindsource${streaming} > 1000`), behind);
        assert.ok(behind.includes('"connector", "tandem-mysql-source", "name", `tandem\\.mysql-to-postgres`'), behind);
        assert.ok(behind.includes('"connector", "tandem-postgres-source", "name", `tandem\\.postgres-to-mysql`'), behind);
        assert.ok(
            rules.TandemSourceDisconnected.expr.includes(
                `debezium_metrics_connected${streaming} == 0 unless on (instance, plugin, name) debezium_metrics_snapshotrunning{context="snapshot"} == 1`,
            ),
        );
        assert.ok(
            rules.TandemSourceQueueNearlyFull.expr.includes(
                `debezium_metrics_queueremainingcapacity${streaming} < 0.1 * debezium_metrics_queuetotalcapacity${streaming}`,
            ),
        );
        assert.equal(rules.TandemBehindSource.for, "5m");
    });

    it("defines the slot and lag alerts on the metrics the health monitor is to export", () => {
        assert.equal(
            rules.TandemReplicationSlotWalGrowing.expr,
            'pg_replication_slots_retained_wal_bytes{slot_name="tandem_slot"} > 1073741824 and delta(pg_replication_slots_retained_wal_bytes{slot_name="tandem_slot"}[30m]) > 0',
        );
        assert.ok(rules.TandemConsumerLag.expr.includes("kafka_consumergroup_lag{consumergroup=~`connect-tandem-(mysql|postgres)-sink`}"));
        assert.ok(rules.TandemConsumerLag.expr.endsWith("> 10000"));
        assert.equal(rules.TandemScrapeTargetDown.expr, 'up{pipeline="tandem"} == 0');
    });

    it("defines the sync-delay, stall, conflict, watchdog and quarantine alerts on the health monitor's series of this pipeline", () => {
        const monitor = 'pipeline="tandem"';
        assert.deepEqual(
            MONITOR_ALERTS.concat("TandemWatchdogGaveUp").map((name) => [name, rules[name].labels.severity, rules[name].for]),
            [
                ["TandemSyncDelayHigh", "warning", "2m"],
                ["TandemCanaryStalled", "critical", "1m"],
                ["TandemConflictSpike", "warning", "0s"],
                ["TandemDeadLettersQuarantined", "critical", "0s"],
                ["TandemWatchdogGaveUp", "critical", "0m"],
            ],
        );
        assert.equal(rules.TandemSyncDelayHigh.expr, `tandem_sync_delay_seconds{${monitor}} > 5`);
        assert.equal(
            rules.TandemCanaryStalled.expr,
            `tandem_sync_delay_seconds{${monitor}} > 60 and deriv(tandem_sync_delay_seconds{${monitor}}[5m]) > 0.5`,
        );
        assert.equal(
            rules.TandemConflictSpike.expr,
            `sum by (environment, pipeline, table) (increase(tandem_conflicts_total{${monitor}}[10m])) > 100`,
        );
        assert.equal(rules.TandemWatchdogGaveUp.expr, `tandem_watchdog_gave_up{${monitor}} == 1`);
        const records = `tandem_dead_letter_records{${monitor}}`;
        assert.equal(
            rules.TandemDeadLettersQuarantined.expr,
            `delta(${records}[10m]) > 0 or (${records} > 0 unless ${records} offset 10m)`,
        );
        // The sink-side rule stays: it names the connector and task.
        assert.ok(rules.TandemDeadLetters.expr.startsWith("increase(kafka_connect_task_error_deadletterqueue_produce_requests"));
        assert.match(rules.TandemSyncDelayHigh.annotations.description, /5s \(the objective, tandem:syncDelayObjectiveSeconds\)/);
        assert.match(rules.TandemDeadLettersQuarantined.annotations.description, /tandem dlq show --direction/);
    });

    it("takes thresholds as options", () => {
        const custom = byName(
            alertRules({
                pipeline: "tandem",
                latencyObjectiveMs: 250,
                queueRemainingRatio: 0.2,
                dlqWindowMinutes: 30,
                retainedWalBytes: 5e9,
                consumerLagMessages: 500,
                snapshotMaxMinutes: 60,
                syncDelayObjectiveSeconds: 2,
                conflictSpikeCount: 20,
            }).groups[0].rules,
        );
        assert.ok(custom.TandemSyncDelayHigh.expr.endsWith("} > 2"));
        assert.match(custom.TandemSyncDelayHigh.annotations.description, /more than 2s/);
        assert.ok(custom.TandemConflictSpike.expr.endsWith("[10m])) > 20"));
        assert.ok(
            custom.TandemDeadLettersQuarantined.expr.includes("[30m]) > 0 or") &&
                custom.TandemDeadLettersQuarantined.expr.endsWith("offset 30m)"),
        );
        assert.ok(custom.TandemBehindSource.expr.includes("> 250"));
        assert.match(custom.TandemBehindSource.annotations.description, /250 ms/);
        assert.ok(custom.TandemSourceQueueNearlyFull.expr.includes("< 0.2 * "));
        assert.match(custom.TandemSourceQueueNearlyFull.annotations.description, /20%/);
        assert.ok(custom.TandemDeadLetters.expr.includes("[30m]) > 0 or") && custom.TandemDeadLetters.expr.endsWith("offset 30m)"));
        assert.ok(custom.TandemReplicationSlotWalGrowing.expr.includes("> 5000000000 and"));
        assert.ok(custom.TandemConsumerLag.expr.endsWith("> 500"));
        assert.equal(custom.TandemSnapshotTooLong.for, "60m");
        assert.throws(() => alertRules({ pipeline: "tandem", latencyObjectiveMs: Number.NaN }), /latencyObjectiveMs must be a number/);
    });

    it("escapes the prefix in regexes and derives the slot as the sync names it", () => {
        const dotted = byName(alertRules({ pipeline: "acme.prod-1" }).groups[0].rules);
        assert.ok(dotted.TandemConnectorFailed.expr.includes("connector=~`acme\\.prod-1-(mysql|postgres)-(source|sink)`"));
        assert.ok(dotted.TandemReplicationSlotWalGrowing.expr.includes('slot_name="acme_prod_1_slot"'));
        assert.ok(dotted.TandemConsumerLag.expr.includes("consumergroup=~`connect-acme\\.prod-1-(mysql|postgres)-sink`"));
        for (const name of MONITOR_ALERTS) assert.ok(dotted[name].expr.includes('{pipeline="acme.prod-1"}'), name);
        assert.throws(() => alertRules({ pipeline: "a`b" }), /topic prefix/);
    });
});

describe("prometheusConfig: toYaml", () => {
    it("round-trips both files, with each expression on one line", () => {
        const config = scrapeConfig({ ...base, kafkaTargets: ["kafka-0:9404"] });
        const rules = alertRules({ pipeline: "tandem" });
        assert.deepEqual(yaml.load(toYaml(config)), config);
        assert.deepEqual(yaml.load(toYaml(rules)), rules);
        for (const rule of rules.groups[0].rules) {
            assert.ok(
                toYaml(rules)
                    .split("\n")
                    .some((line) => line.includes(rule.expr)),
                rule.alert,
            );
        }
    });
});
