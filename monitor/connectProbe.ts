// Effects: the pipeline's four connectors as Connect sees them (one `?expand=status` call), exported as
// state series, and the watchdog's restarts of what FAILED.
import { ConnectClient } from "../connectors/connectClient";
import { MonitorSettings } from "../core/monitorSettings";
import { ConnectorState, WatchdogEntry } from "./health";
import { MonitorMetrics } from "./metrics";
import { Watchdog } from "./watchdog";

export const CONNECTOR_STATES = ["RUNNING", "PAUSED", "STOPPED", "FAILED", "UNASSIGNED", "RESTARTING", "ABSENT"] as const;

/** The pipeline's connectors, named as the stack names them (`<prefix>-mysql-source`, …). */
export function pipelineConnectors(prefix: string): string[] {
    return ["mysql-source", "postgres-source", "postgres-sink", "mysql-sink"].map((key) => `${prefix}-${key}`);
}

function firstLines(trace: string | undefined, lines = 6): string | undefined {
    return trace?.split("\n").slice(0, lines).join("\n");
}

export class ConnectProbe {
    private readonly client: ConnectClient;
    private readonly watchdog: Watchdog;
    private readonly names: string[];
    private readonly announcedGiveUps = new Set<string>();
    /** Restarts Connect has not answered yet (one at a time per connector or task). */
    private readonly restarting = new Set<string>();
    private readonly restartClient: ConnectClient;

    constructor(
        private readonly settings: MonitorSettings,
        connectPassword: string | undefined,
        private readonly metrics: MonitorMetrics,
        private readonly log: (message: string) => void,
    ) {
        const auth = settings.connect.username ? { username: settings.connect.username, password: connectPassword ?? "" } : undefined;
        this.client = new ConnectClient(settings.connect.url, { auth, retries: 0, requestTimeoutMs: settings.probeTimeoutSeconds * 1000 });
        // Connect's own REST timeout is 90 s; a restart request may take that long.
        this.restartClient = new ConnectClient(settings.connect.url, { auth, retries: 0, requestTimeoutMs: 95_000 });
        this.watchdog = new Watchdog(settings.watchdog);
        this.names = pipelineConnectors(settings.prefix);
    }

    async round(now = Date.now()): Promise<{ connectors: ConnectorState[]; watchdog: WatchdogEntry[] }> {
        const statuses = await this.client.listStatuses();
        const connectors: ConnectorState[] = this.names.map((name) => {
            const status = statuses[name];
            if (!status) return { name, state: "ABSENT", tasks: [] };
            return {
                name,
                state: status.connector.state,
                tasks: status.tasks.map((task) => ({ id: task.id, state: task.state, trace: firstLines(task.trace) })),
            };
        });
        this.export(connectors);
        for (const restart of this.watchdog.observe(connectors, now)) {
            const what = restart.task === "connector" ? restart.connector : `${restart.connector} task ${restart.task}`;
            const key = `${restart.connector}/${restart.task}`;
            if (this.restarting.has(key)) continue;
            // Connect answers a restart once the task has started again, which can take long: the round does not wait.
            this.restarting.add(key);
            this.metrics.watchdogRestarts.inc({ connector: restart.connector, task: restart.task });
            this.watchdog.restarted(restart, now);
            this.log(`watchdog: restarting ${what}`);
            const request =
                restart.task === "connector"
                    ? this.restartClient.restartFailed(restart.connector)
                    : this.restartClient.restartTask(restart.connector, Number(restart.task));
            void request
                .catch((error: Error) => this.log(`watchdog: restarting ${what} failed: ${error.message}`))
                .finally(() => this.restarting.delete(key));
        }
        const entries = this.watchdog.entries();
        this.metrics.watchdogAttempts.reset();
        this.metrics.watchdogGaveUp.reset();
        for (const entry of entries) {
            const labels = { connector: entry.connector, task: entry.task };
            this.metrics.watchdogAttempts.set(labels, entry.attempts);
            this.metrics.watchdogGaveUp.set(labels, entry.gaveUp ? 1 : 0);
            if (entry.gaveUp && entry.attempts > 0 && !this.announcedGiveUps.has(`${entry.connector}/${entry.task}`)) {
                this.announcedGiveUps.add(`${entry.connector}/${entry.task}`);
                this.log(
                    `watchdog: GAVE UP on ${entry.connector}${entry.task === "connector" ? "" : ` task ${entry.task}`} after ${entry.attempts} restarts; last trace:\n${entry.lastTrace ?? "(none)"}`,
                );
            }
        }
        return { connectors, watchdog: entries };
    }

    private export(connectors: ConnectorState[]): void {
        this.metrics.connectorStatus.reset();
        this.metrics.taskStatus.reset();
        for (const connector of connectors) {
            for (const state of CONNECTOR_STATES) {
                this.metrics.connectorStatus.set(
                    { connector: connector.name, state: state.toLowerCase() },
                    connector.state === state ? 1 : 0,
                );
            }
            for (const task of connector.tasks) {
                for (const state of CONNECTOR_STATES.filter((s) => s !== "ABSENT" && s !== "STOPPED")) {
                    this.metrics.taskStatus.set(
                        { connector: connector.name, task: String(task.id), state: state.toLowerCase() },
                        task.state === state ? 1 : 0,
                    );
                }
            }
        }
    }

    /** The MySQL source's committed binlog position (file, pos), when Connect has one. */
    async mysqlSourcePosition(): Promise<{ file: string; pos: number } | undefined> {
        const offsets = await this.client.getOffsets(`${this.settings.prefix}-mysql-source`);
        const offset = offsets?.[0]?.offset;
        if (!offset || typeof offset.file !== "string") return undefined;
        return { file: offset.file, pos: Number(offset.pos ?? 0) };
    }
}
