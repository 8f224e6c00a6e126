import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { dashboardProvisioning, pipelineDashboard, PROMETHEUS_DATASOURCE } from "../../../components/monitoring/grafanaDashboard";

describe("Grafana dashboard builder", () => {
    const dashboard = pipelineDashboard("tandem");

    it("lays out panels on Grafana's 24-column grid without overlap, each with a unique id", () => {
        assert.equal(new Set(dashboard.panels.map((panel) => panel.id)).size, dashboard.panels.length);
        const cells = new Set<string>();
        for (const { gridPos, title } of dashboard.panels) {
            assert.ok(gridPos.x >= 0 && gridPos.x + gridPos.w <= 24, `${title} fits the grid`);
            for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++) {
                for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
                    assert.ok(!cells.has(`${x},${y}`), `${title} overlaps another panel at ${x},${y}`);
                    cells.add(`${x},${y}`);
                }
            }
        }
    });

    it("queries only this pipeline's series, through the provisioned data source", () => {
        for (const panel of dashboard.panels) {
            assert.deepEqual(panel.datasource, PROMETHEUS_DATASOURCE);
            for (const target of panel.targets) assert.match(target.expr, /tandem/, `${panel.title}: ${target.expr}`);
        }
        const other = pipelineDashboard("orders-eu");
        assert.equal(other.uid, "tandem-orders-eu");
        assert.ok(other.panels.every((panel) => !panel.targets[0].expr.includes("`tandem")));
        // Every query of every panel is scoped to that pipeline (connector, server, slot, group names or its label).
        for (const panel of other.panels)
            for (const target of panel.targets) assert.match(target.expr, /orders-eu|orders_eu/, `${panel.title}: ${target.expr}`);
        assert.throws(() => pipelineDashboard("bad pipeline"), /pipeline/);
    });

    it("shows the health monitor's series: sync delay, lag, conflicts, dead letters by direction, watchdog", () => {
        const exprs = Object.fromEntries(dashboard.panels.map((panel) => [panel.title, panel.targets.map((target) => target.expr)]));
        assert.deepEqual(exprs["Sync delay"], ['tandem_sync_delay_seconds{pipeline="tandem"}']);
        assert.deepEqual(exprs["Worst sync delay"], ['max(tandem_sync_delay_seconds{pipeline="tandem"})']);
        assert.deepEqual(exprs["Consumer lag"], [
            "sum by (consumergroup) (kafka_consumergroup_lag{consumergroup=~`connect-tandem-(mysql|postgres)-sink`})",
        ]);
        assert.deepEqual(exprs["Conflicts"], ['sum by (table, winner) (rate(tandem_conflicts_total{pipeline="tandem"}[5m]))']);
        assert.deepEqual(exprs["Dead-letter records by direction"], ['sum by (direction) (tandem_dead_letter_records{pipeline="tandem"})']);
        assert.deepEqual(exprs["Watchdog restarts"], [
            'sum by (connector, task) (increase(tandem_watchdog_restarts_total{pipeline="tandem"}[15m]))',
            'tandem_watchdog_gave_up{pipeline="tandem"} == 1',
        ]);
        assert.deepEqual(
            dashboard.panels.find((panel) => panel.title === "Watchdog restarts")!.targets.map((target) => target.refId),
            ["A", "B"],
        );
        assert.ok(exprs["Replication slot WAL retained"], "the slot panel stays");
        // The delay stat turns red at the stack's objective.
        const red = (objective?: number) =>
            (
                pipelineDashboard("tandem", { syncDelayObjectiveSeconds: objective }).panels.find(
                    (panel) => panel.title === "Worst sync delay",
                )!.fieldConfig.defaults.thresholds as { steps: { color: string; value: number | null }[] }
            ).steps[1];
        assert.deepEqual(
            [red(), red(30)],
            [
                { color: "red", value: 5 },
                { color: "red", value: 30 },
            ],
        );
    });

    it("matches the reviewed snapshot (dashboard JSON and its provisioning file)", () => {
        const snapshots = path.join(__dirname, "..", "snapshots");
        const generated: Record<string, string> = {
            "dashboard-tandem.json": `${JSON.stringify(dashboard, null, 2)}\n`,
            "grafana-dashboards.yml": dashboardProvisioning(),
        };
        for (const [file, content] of Object.entries(generated)) {
            const target = path.join(snapshots, file);
            if (process.env.UPDATE_SNAPSHOTS === "1") fs.writeFileSync(target, content);
            assert.equal(content, fs.readFileSync(target, "utf8"), `${file} changed: review it and run with UPDATE_SNAPSHOTS=1`);
        }
    });
});
