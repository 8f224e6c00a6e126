// The health monitor: probe rounds on a timer (never overlapping), the verdict, and a plain HTTP server —
// GET /metrics (Prometheus text), GET /health (JSON, 503 when failing), GET / (status page). Every probe is
// bounded by the probe timeout and caught: a dependency that goes away shows up in the metrics and the
// verdict, and the monitor keeps serving.
import * as http from "http";
import { MonitorSecrets, MonitorSettings } from "../core/monitorSettings";
import { SIDES } from "../core/vocabulary";
import { CanaryProbe } from "./canaryProbe";
import { ConnectProbe } from "./connectProbe";
import { DatabaseProbes } from "./databaseProbes";
import { MonitorDatabases, openDatabases } from "./databases";
import { emptyState, evaluateHealth, Health, healthCode, MonitorState, ProbeTarget } from "./health";
import { KafkaProbe } from "./kafkaProbe";
import { monitorMetrics, MonitorMetrics } from "./metrics";
import { renderStatusPage } from "./statusPage";

/**
 * Kafka and the binlog change slowly and cost more (one offsets request per topic: 400 topics with 200 tables):
 * probed every few rounds.
 */
const KAFKA_EVERY_SECONDS = 15;
const BINLOG_EVERY_SECONDS = 15;

export class HealthMonitor {
    readonly metrics: MonitorMetrics = monitorMetrics();
    private readonly db: MonitorDatabases;
    private readonly canary: CanaryProbe;
    private readonly connect: ConnectProbe;
    private readonly kafka: KafkaProbe;
    private readonly databases: DatabaseProbes;
    private state: MonitorState = emptyState();
    private health: Health = { status: "failing", reasons: ["no probe round has run yet"] };
    private checkedAt = "never";
    private server?: http.Server;
    private timer?: NodeJS.Timeout;
    private stopped = false;
    private lastKafkaAt = 0;
    private lastBinlogAt = 0;
    private lastReconcileAt = 0;

    constructor(
        private readonly settings: MonitorSettings,
        secrets: MonitorSecrets,
        private readonly log: (message: string) => void = (message) => process.stderr.write(`${new Date().toISOString()} ${message}\n`),
    ) {
        this.db = openDatabases(settings, secrets);
        this.canary = new CanaryProbe(settings, this.db, this.metrics);
        this.connect = new ConnectProbe(settings, secrets.connectPassword, this.metrics, log);
        this.kafka = new KafkaProbe(settings, this.metrics, secrets);
        this.databases = new DatabaseProbes(settings, this.db, this.metrics);
    }

    /** Starts serving and probing; resolves with the port once the server listens. */
    async start(): Promise<number> {
        this.server = http.createServer((request, response) => void this.serve(request, response));
        await new Promise<void>((resolve, reject) => {
            this.server!.once("error", reject);
            this.server!.listen(this.settings.listen.port, this.settings.listen.host, () => resolve());
        });
        const port = (this.server.address() as { port: number }).port;
        this.log(`health monitor of ${this.settings.prefix} on http://${this.settings.listen.host}:${port} (/metrics, /health, /)`);
        const loop = async () => {
            await this.round();
            if (!this.stopped) this.timer = setTimeout(() => void loop(), this.settings.intervalSeconds * 1000);
        };
        void loop();
        return port;
    }

    async stop(): Promise<void> {
        this.stopped = true;
        if (this.timer) clearTimeout(this.timer);
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
        await this.kafka.close();
        await this.db.close();
    }

    /** One round of every probe due; never throws. */
    async round(now = Date.now()): Promise<void> {
        const durations: Partial<Record<ProbeTarget, number>> = {};
        const probes = this.state.probes;
        const attempt = async <T>(
            target: ProbeTarget,
            what: string,
            work: () => Promise<T>,
            marksTarget: boolean,
        ): Promise<T | undefined> => {
            const started = process.hrtime.bigint();
            try {
                const result = await work();
                if (marksTarget) this.mark(target, true);
                return result;
            } catch (error) {
                const message = `${what}: ${(error as Error).message}`;
                if (marksTarget) this.mark(target, false, message);
                else this.log(`probe ${message}`);
                return undefined;
            } finally {
                durations[target] = (durations[target] ?? 0) + Number(process.hrtime.bigint() - started) / 1e9;
            }
        };
        await Promise.all([
            attempt("mysql", "SELECT 1", () => this.db.mysqlQuery("SELECT 1"), true),
            attempt("postgres", "SELECT 1", () => this.db.postgresQuery("SELECT 1"), true),
        ]);
        const connectors = await attempt("connect", "connectors", () => this.connect.round(now), true);
        if (connectors) Object.assign(this.state, connectors);
        const canary = await this.canary.roundAll();
        for (const [direction, view] of Object.entries(canary.states))
            this.state.directions[direction as keyof MonitorState["directions"]] = view;
        for (const { direction, error } of canary.errors) this.log(`canary ${direction}: ${error.message}`);
        if (probes.postgres.up)
            this.state.slot = (await attempt("postgres", "replication slot", () => this.databases.slot(), false)) ?? this.state.slot;
        for (const side of SIDES) if (probes[side].up) await attempt(side, "conflict log", () => this.databases.conflicts(side), false);
        if (now - this.lastKafkaAt >= KAFKA_EVERY_SECONDS * 1000 || !probes.kafka.up) {
            this.lastKafkaAt = now;
            const kafka = await attempt("kafka", "offsets", () => this.kafka.round(), true);
            if (kafka) this.state.deadLetters = kafka.deadLetters;
        }
        if (probes.postgres.up && now - this.lastReconcileAt >= KAFKA_EVERY_SECONDS * 1000) {
            this.lastReconcileAt = now;
            await attempt("postgres", "reconcile runs", () => this.databases.reconcileRuns(), false);
        }
        if (probes.mysql.up && now - this.lastBinlogAt >= BINLOG_EVERY_SECONDS * 1000) {
            this.lastBinlogAt = now;
            const position = probes.connect.up
                ? await attempt("connect", "source offsets", () => this.connect.mysqlSourcePosition(), false)
                : undefined;
            this.state.binlog = (await attempt("mysql", "binlog", () => this.databases.binlog(position), false)) ?? this.state.binlog;
        }
        for (const [target, seconds] of Object.entries(durations)) this.metrics.probeDuration.set({ target }, seconds);
        this.health = evaluateHealth(this.state, this.settings.delayObjectiveSeconds);
        this.metrics.health.set(healthCode(this.health.status));
        this.checkedAt = new Date().toISOString();
    }

    private mark(target: ProbeTarget, up: boolean, error?: string): void {
        const before = this.state.probes[target];
        if (before.up !== up || (before.at === undefined && !up)) this.log(up ? `${target} reachable` : `${target} unreachable: ${error}`);
        this.state.probes[target] = { up, error: up ? undefined : error, at: new Date().toISOString() };
        this.metrics.probeUp.set({ target }, up ? 1 : 0);
    }

    /** The verdict and what it rests on (what GET /health answers). */
    report(): { status: Health["status"]; reasons: string[]; checkedAt: string; state: MonitorState } {
        return { status: this.health.status, reasons: this.health.reasons, checkedAt: this.checkedAt, state: this.state };
    }

    private async serve(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
        const path = (request.url ?? "/").split("?")[0];
        try {
            if (request.method !== "GET" && request.method !== "HEAD") {
                response.writeHead(405, { Allow: "GET, HEAD" }).end();
            } else if (path === "/metrics") {
                const body = await this.metrics.registry.metrics();
                response.writeHead(200, { "Content-Type": this.metrics.registry.contentType }).end(body);
            } else if (path === "/health") {
                response
                    .writeHead(this.health.status === "failing" ? 503 : 200, { "Content-Type": "application/json" })
                    .end(`${JSON.stringify(this.report(), null, 2)}\n`);
            } else if (path === "/") {
                response
                    .writeHead(200, { "Content-Type": "text/html; charset=utf-8" })
                    .end(renderStatusPage(this.settings.prefix, this.health, this.state, this.checkedAt));
            } else {
                response.writeHead(404, { "Content-Type": "text/plain" }).end("not found: try /metrics, /health or /\n");
            }
        } catch (error) {
            response.writeHead(500, { "Content-Type": "text/plain" }).end(`${(error as Error).message}\n`);
        }
    }
}
