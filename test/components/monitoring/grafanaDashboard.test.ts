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
        assert.throws(() => pipelineDashboard("bad pipeline"), /pipeline/);
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
