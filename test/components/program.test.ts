// The whole program (index.ts) with each shipped stack's config under Pulumi mocks, the catalog read stubbed
// (test/e2e/stacks.test.ts reads the sandbox's databases instead): which health monitor each environment
// gets, and the stack output dashboards.healthMonitor.
import * as assert from "node:assert/strict";
import * as syncPlan from "../../components/syncPlan";
import { of, Registered } from "../support/mocks";
import { plaintextOccurrences, runProgram } from "../support/programStack";
import { table } from "../sql/fixtures";

type Plan = Awaited<ReturnType<typeof syncPlan.planSync>>;

describe("the program's health monitor per environment (Pulumi mocks, catalog stubbed)", () => {
    const planSync = syncPlan.planSync;
    const secrets = {
        "tandem:mysqlPassword": "mysql-admin-password",
        "tandem:postgresPassword": "postgres-admin-password",
        "tandem:connectRestPassword": "rest-password",
    };
    before(() => {
        const plan: Plan = {
            tables: { mysql: [{ ...table, name: "demo_items" }], postgres: [{ ...table, name: "demo_items" }] },
            findings: [],
            resumeChecks: {
                mysqlSource: { kind: "mysql-binlog", binlogFiles: [] },
                postgresSource: { kind: "postgres-slot", slot: "tandem_slot", exists: false },
            },
        };
        (syncPlan as { planSync: typeof planSync }).planSync = async () => plan;
    });
    after(() => {
        (syncPlan as { planSync: typeof planSync }).planSync = planSync;
    });

    const monitors = (registered: Registered[]) =>
        registered.filter((r) => /^tandem:index:(Local|Dev|Prod)HealthMonitor$/.test(r.type)).map((r) => [r.type, r.name]);
    const dashboards = (outputs: Record<string, unknown>) => outputs.dashboards as Record<string, string>;

    it("local: the process, at 127.0.0.1:8084", async () => {
        const { registered, outputs } = await runProgram("local", {}, { "tandem:mysqlPassword": "m", "tandem:postgresPassword": "p" });
        assert.deepEqual(monitors(registered), [["tandem:index:LocalHealthMonitor", "tandem-health-monitor"]]);
        assert.equal(dashboards(outputs).healthMonitor, "http://127.0.0.1:8084");
    });

    it("dev: the container, published on the stack's port, scraped by Prometheus on the network", async () => {
        const { registered, outputs } = await runProgram("dev", {}, secrets);
        assert.deepEqual(monitors(registered), [["tandem:index:DevHealthMonitor", "tandem-health-monitor"]]);
        assert.equal(dashboards(outputs).healthMonitor, "http://127.0.0.1:28084");
        const prometheus = of(registered, "docker:index/container:Container").find((c) => c.inputs.name === "tandem-prometheus")!;
        assert.match((prometheus.inputs.uploads as { content: string }[])[0].content, /- tandem-health-monitor:8084\n/);
        // Its env holds the generated monitor passwords: inside a Pulumi secret only.
        const container = of(registered, "docker:index/container:Container").find((c) => c.inputs.name === "tandem-health-monitor")!;
        assert.deepEqual(plaintextOccurrences(container.inputs, "generated-"), []);
        assert.ok(JSON.stringify(container.inputs.envs).includes("generated-"));
    });

    it("prod: the Deployment and its Service in the namespace, scraped by Prometheus", async () => {
        const { registered, outputs } = await runProgram("prod", {}, secrets);
        assert.deepEqual(monitors(registered), [["tandem:index:ProdHealthMonitor", "tandem-health-monitor"]]);
        assert.equal(dashboards(outputs).healthMonitor, "http://tandem-health-monitor.tandem.svc:8084");
        const config = of(registered, "kubernetes:core/v1:ConfigMap").find((c) => "prometheus.yml" in (c.inputs.data as object))!;
        assert.match((config.inputs.data as Record<string, string>)["prometheus.yml"], /- tandem-health-monitor\.tandem\.svc:8084\n/);
        for (const secret of Object.values(secrets)) {
            const leaks = registered.flatMap((r) => plaintextOccurrences(r.inputs, secret).map((at) => `${r.type} ${r.name} ${at}`));
            assert.deepEqual(leaks, [], secret);
        }
    });

    it("no monitor, no output, no scrape target when tandem:healthMonitor is off", async () => {
        const { registered, outputs } = await runProgram("dev", { "tandem:healthMonitor": "false" }, secrets);
        assert.deepEqual(monitors(registered), []);
        assert.equal(dashboards(outputs).healthMonitor, undefined);
        const prometheus = of(registered, "docker:index/container:Container").find((c) => c.inputs.name === "tandem-prometheus")!;
        assert.doesNotMatch((prometheus.inputs.uploads as { content: string }[])[0].content, /health-monitor/);
    });
});
