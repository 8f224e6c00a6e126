// The alert rules on the health monitor's series, evaluated by promtool (`promtool test rules`, no server):
// each fires for what it is about, with its labels and rendered annotations, and stays silent otherwise.
// promtool is a toolchain requirement (toolchain/system.sh, Debian package prometheus).
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { AlertRule, alertRules, toYaml } from "../../../components/monitoring/prometheusConfig";

const run = promisify(execFile);

/** Target labels of the monitor's series, as the scrape job gives them. */
const TARGET = { environment: "dev", pipeline: "tandem", job: "tandem-monitor", instance: "tandem-health-monitor:8084" };

type Labels = Record<string, string>;
const series = (name: string, labels: Labels) =>
    `${name}{${Object.entries({ ...TARGET, ...labels })
        .map(([key, value]) => `${key}="${value}"`)
        .join(", ")}}`;

/** Prometheus' rendering of the annotation templates the rules use. */
function render(text: string, labels: Labels, value: { plain: string; humanize?: string; duration?: string }): string {
    return text
        .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, name: string) => labels[name] ?? "")
        .replace(/\{\{ \$value \| humanizeDuration \}\}/g, () => value.duration ?? assert.fail("duration"))
        .replace(/\{\{ \$value \| humanize \}\}/g, () => value.humanize ?? assert.fail("humanize"))
        .replace(/\{\{ \$value \}\}/g, value.plain);
}

interface Case {
    alert: string;
    input: { series: string; values: string }[];
    at: string;
    /** The alerts expected at `at`: their labels (besides the rule's) and $value as Prometheus prints it. */
    expected: { labels: Labels; value: { plain: string; humanize?: string; duration?: string } }[];
}

describe("alert rules on the health monitor's series (promtool test rules)", () => {
    const rules = alertRules({ pipeline: "tandem" });
    const byName = Object.fromEntries(rules.groups[0].rules.map((rule) => [rule.alert, rule])) as Record<string, AlertRule>;
    const cases: Case[] = [
        {
            alert: "TandemSyncDelayHigh",
            input: [
                { series: series("tandem_sync_delay_seconds", { direction: "mysql-to-postgres" }), values: "1 1 8x10" },
                { series: series("tandem_sync_delay_seconds", { direction: "postgres-to-mysql" }), values: "1x12" },
                // Another pipeline's monitor on the same Prometheus.
                { series: series("tandem_sync_delay_seconds", { direction: "mysql-to-postgres", pipeline: "other" }), values: "30x12" },
            ],
            at: "5m",
            expected: [{ labels: { ...TARGET, direction: "mysql-to-postgres" }, value: { plain: "8", duration: "8s" } }],
        },
        {
            alert: "TandemSyncDelayHigh",
            input: [{ series: series("tandem_sync_delay_seconds", { direction: "mysql-to-postgres" }), values: "1 1 8x10" }],
            // Above the objective for only 1m of the 2m it must last.
            at: "3m",
            expected: [],
        },
        {
            alert: "TandemCanaryStalled",
            input: [
                // A canary that never arrives: its age grows with the clock.
                { series: series("tandem_sync_delay_seconds", { direction: "postgres-to-mysql" }), values: "0+60x10" },
                // Slow but steady: above 60s and not rising.
                { series: series("tandem_sync_delay_seconds", { direction: "mysql-to-postgres" }), values: "120x10" },
            ],
            at: "5m",
            expected: [{ labels: { ...TARGET, direction: "postgres-to-mysql" }, value: { plain: "300", duration: "5m 0s" } }],
        },
        {
            alert: "TandemConflictSpike",
            input: [
                // A burst at 7m; the window's first sample is 0, so increase() is exact (no extrapolation).
                { series: series("tandem_conflicts_total", { table: "orders", winner: "mysql" }), values: "0x6 150x14" },
                { series: series("tandem_conflicts_total", { table: "orders", winner: "postgres" }), values: "0x6 150x14" },
                { series: series("tandem_conflicts_total", { table: "items", winner: "mysql" }), values: "0x6 50x14" },
            ],
            at: "15m",
            expected: [
                {
                    labels: { environment: "dev", pipeline: "tandem", table: "orders" },
                    value: { plain: "300", humanize: "300" },
                },
            ],
        },
        {
            alert: "TandemWatchdogGaveUp",
            input: [
                { series: series("tandem_watchdog_gave_up", { connector: "tandem-postgres-sink", task: "0" }), values: "0 0 1 1" },
                { series: series("tandem_watchdog_gave_up", { connector: "tandem-mysql-sink", task: "connector" }), values: "0 0 0 0" },
            ],
            at: "2m",
            expected: [{ labels: { ...TARGET, connector: "tandem-postgres-sink", task: "0" }, value: { plain: "1" } }],
        },
        {
            alert: "TandemDeadLettersQuarantined",
            input: [
                // Grows at 11m: the delta half.
                {
                    series: series("tandem_dead_letter_records", { direction: "mysql-to-postgres", topic: "tandem.dlq.mysql-to-postgres" }),
                    values: "0x10 3x20",
                },
                // First reported at 8m, already holding records: the new-series half.
                {
                    series: series("tandem_dead_letter_records", { direction: "postgres-to-mysql", topic: "tandem.dlq.postgres-to-mysql" }),
                    values: "_x7 2x20",
                },
            ],
            at: "12m",
            expected: [
                {
                    labels: { ...TARGET, direction: "mysql-to-postgres", topic: "tandem.dlq.mysql-to-postgres" },
                    value: { plain: "3" },
                },
                {
                    labels: { ...TARGET, direction: "postgres-to-mysql", topic: "tandem.dlq.postgres-to-mysql" },
                    value: { plain: "2" },
                },
            ],
        },
        {
            alert: "TandemDeadLettersQuarantined",
            input: [
                {
                    series: series("tandem_dead_letter_records", { direction: "mysql-to-postgres", topic: "tandem.dlq.mysql-to-postgres" }),
                    values: "0x10 3x20",
                },
                {
                    series: series("tandem_dead_letter_records", { direction: "postgres-to-mysql", topic: "tandem.dlq.postgres-to-mysql" }),
                    values: "_x7 2x20",
                },
            ],
            // The window has passed: records still held, none new.
            at: "25m",
            expected: [],
        },
    ];

    it("fires each alert for what it is about, naming it, and stays silent for the rest", async function () {
        this.timeout(30_000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-rules-"));
        try {
            fs.writeFileSync(path.join(dir, "rules.yml"), toYaml(rules));
            const tests = cases.map((c) => {
                const rule = byName[c.alert];
                return {
                    interval: "1m",
                    input_series: c.input,
                    alert_rule_test: [
                        {
                            eval_time: c.at,
                            alertname: c.alert,
                            exp_alerts: c.expected.map(({ labels, value }) => {
                                const all = { ...labels, ...rule.labels };
                                return {
                                    exp_labels: all,
                                    exp_annotations: {
                                        summary: render(rule.annotations.summary, all, value),
                                        description: render(rule.annotations.description, all, value),
                                    },
                                };
                            }),
                        },
                    ],
                };
            });
            fs.writeFileSync(path.join(dir, "tests.yml"), JSON.stringify({ rule_files: ["rules.yml"], evaluation_interval: "1m", tests }));
            const check = await run("promtool", ["check", "rules", path.join(dir, "rules.yml")]).catch((error: Error & { code?: string }) =>
                assert.fail(
                    error.code === "ENOENT"
                        ? "promtool is not on PATH: toolchain/system.sh installs it (Debian package prometheus)"
                        : error,
                ),
            );
            assert.match(check.stdout, new RegExp(`SUCCESS: ${rules.groups[0].rules.length} rules found`));
            const result = await run("promtool", ["test", "rules", "tests.yml"], { cwd: dir }).catch(
                (error: Error & { stdout?: string; stderr?: string }) => assert.fail(`${error.stdout ?? ""}${error.stderr ?? ""}`),
            );
            assert.match(result.stdout, /SUCCESS/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
