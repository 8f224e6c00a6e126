// Pure: what the monitor knows after its latest probes, and the verdict /health gives on it — `failing` when
// the sync cannot move (a dependency down, a connector or task failed or missing, the watchdog gave up, the
// slot's WAL lost), `degraded` when it moves too slowly or is held (a direction over its delay objective, a
// paused connector, a slot or binlog about to lose what the source needs), else `ok`.
import { Direction } from "../core/vocabulary";

export const PROBE_TARGETS = ["mysql", "postgres", "kafka", "connect"] as const;
export type ProbeTarget = (typeof PROBE_TARGETS)[number];

export interface DirectionState {
    /** Seconds; undefined until the first canary round. */
    delaySeconds?: number;
    /** A canary is on its way (the delay is its age, rising). */
    pending: boolean;
    lastArrivalAt?: string;
}

export interface ConnectorState {
    name: string;
    /** Connect's state, or ABSENT when the connector is not on the cluster. */
    state: string;
    tasks: { id: number; state: string; trace?: string }[];
}

export interface WatchdogEntry {
    connector: string;
    /** "connector" for the connector itself, else the task's id. */
    task: string;
    attempts: number;
    gaveUp: boolean;
    lastTrace?: string;
    lastRestartAt?: string;
    nextRestartAt?: string;
}

export interface MonitorState {
    directions: Record<Direction, DirectionState>;
    connectors: ConnectorState[];
    watchdog: WatchdogEntry[];
    probes: Record<ProbeTarget, { up: boolean; error?: string; at?: string }>;
    slot?: { name: string; active: boolean; walStatus: string | null; retainedBytes: number } | { name: string; missing: true };
    /** `readsActiveFile`: the server never purges the file it writes, so reading it carries no purge risk. */
    binlog?: { retentionSeconds: number; marginBytes?: number; behindBytes?: number; readsActiveFile?: boolean };
    deadLetters: Record<Direction, number | undefined>;
}

export type HealthStatus = "ok" | "degraded" | "failing";

export interface Health {
    status: HealthStatus;
    reasons: string[];
}

export function emptyState(): MonitorState {
    return {
        directions: { "mysql-to-postgres": { pending: false }, "postgres-to-mysql": { pending: false } },
        connectors: [],
        watchdog: [],
        probes: { mysql: { up: false }, postgres: { up: false }, kafka: { up: false }, connect: { up: false } },
        deadLetters: { "mysql-to-postgres": undefined, "postgres-to-mysql": undefined },
    };
}

export function evaluateHealth(state: MonitorState, delayObjectiveSeconds: number): Health {
    const failing: string[] = [];
    const degraded: string[] = [];
    for (const target of PROBE_TARGETS) {
        const probe = state.probes[target];
        if (!probe.up) failing.push(`${target} unreachable${probe.error ? `: ${probe.error}` : ""}`);
    }
    for (const connector of state.connectors) {
        if (connector.state === "ABSENT") failing.push(`connector ${connector.name} is not on the Connect cluster`);
        else if (connector.state === "FAILED") failing.push(`connector ${connector.name} FAILED`);
        else if (connector.state === "PAUSED" || connector.state === "STOPPED")
            degraded.push(`connector ${connector.name} is ${connector.state}`);
        for (const task of connector.tasks) {
            if (task.state === "FAILED") failing.push(`connector ${connector.name} task ${task.id} FAILED`);
        }
    }
    for (const entry of state.watchdog) {
        if (entry.gaveUp) {
            failing.push(
                `watchdog gave up on ${entry.connector}${entry.task === "connector" ? "" : ` task ${entry.task}`} after ${entry.attempts} restarts`,
            );
        }
    }
    for (const [direction, view] of Object.entries(state.directions)) {
        if (view.delaySeconds !== undefined && view.delaySeconds > delayObjectiveSeconds) {
            degraded.push(`${direction} sync delay ${view.delaySeconds.toFixed(1)} s is over the objective of ${delayObjectiveSeconds} s`);
        }
    }
    const slot = state.slot;
    if (slot && "missing" in slot) failing.push(`replication slot ${slot.name} does not exist`);
    else if (slot && slot.walStatus === "lost") failing.push(`replication slot ${slot.name} lost WAL the source needs`);
    else if (slot && slot.walStatus === "unreserved") degraded.push(`replication slot ${slot.name} is about to lose WAL (unreserved)`);
    if (state.binlog?.marginBytes === 0 && state.binlog.readsActiveFile === false && state.binlog.retentionSeconds > 0) {
        degraded.push("the MySQL source reads the oldest binlog file: the next purge removes what it still needs");
    }
    if (failing.length > 0) return { status: "failing", reasons: [...failing, ...degraded] };
    if (degraded.length > 0) return { status: "degraded", reasons: degraded };
    return { status: "ok", reasons: [] };
}

export function healthCode(status: HealthStatus): number {
    return status === "ok" ? 0 : status === "degraded" ? 1 : 2;
}
