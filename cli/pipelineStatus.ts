// What `tandem status` and `tandem monitor` show, gathered in one pass: each direction's source and sink (Connect),
// sync delay (from the health monitor when it answers, else one canary round of its own), consumer lag and dead
// letters (Kafka), conflicts (both conflict logs), the replication slot; and the verdict the health monitor would
// give on the same facts (monitor/health.ts), so that both tools always agree. A service that cannot be reached
// is a finding, not a crash.
import axios from "axios";
import { syncNames } from "../core/model";
import { MONITOR_DEFAULTS, MonitorSettings } from "../core/monitorSettings";
import { Direction, DIRECTIONS, Side } from "../core/vocabulary";
import { CanaryProbe } from "../monitor/canaryProbe";
import { pipelineConnectors } from "../monitor/connectProbe";
import { MonitorDatabases, openDatabases } from "../monitor/databases";
import { ConnectorState, emptyState, evaluateHealth, Health, MonitorState, WatchdogEntry } from "../monitor/health";
import { readKafkaView } from "../monitor/kafkaProbe";
import { monitorMetrics } from "../monitor/metrics";
import { StackTarget } from "../ops/stackTarget";
import { conflictTotalsSql, replicationSlotSql } from "../sql/monitorSql";
import { Session } from "./session";

export interface DirectionStatus {
    direction: Direction;
    source: ConnectorState;
    sink: ConnectorState;
    delaySeconds?: number;
    /** A canary is still on its way: the delay is its age, and rising. */
    delayPending: boolean;
    lag?: number;
    deadLetters?: number;
}

export interface PipelineStatus {
    stack: string;
    prefix: string;
    checkedAt: string;
    health: Health;
    /** Where the delays come from. */
    delaysFrom: "health monitor" | "own canary round" | "unavailable";
    monitorUrl?: string;
    directions: DirectionStatus[];
    conflicts?: { table: string; winner: string; total: number; lastHour: number }[];
    slot?: MonitorState["slot"];
    watchdog: WatchdogEntry[];
    /** Services that could not be read, and why. */
    unreachable: Record<string, string>;
}

const ROLES: Record<Direction, { source: string; sink: string }> = {
    "mysql-to-postgres": { source: "mysql-source", sink: "postgres-sink" },
    "postgres-to-mysql": { source: "postgres-source", sink: "mysql-sink" },
};

/** The monitor's settings for the stack's admin accounts: its connections and its canary, run once by the CLI. */
function adminSettings(target: StackTarget): MonitorSettings {
    return {
        prefix: target.prefix,
        listen: { host: "127.0.0.1", port: 0 },
        mysql: { ...target.mysql },
        postgres: { ...target.postgres },
        kafka: {
            bootstrapServers: target.kafkaBootstrapServers,
            security: target.kafkaAccess.security,
            ...(target.kafkaAccess.username ? { username: target.kafkaAccess.username } : {}),
            ...(target.kafkaAccess.ca ? { ca: target.kafkaAccess.ca } : {}),
        },
        connect: { url: target.connectUrl },
        ...MONITOR_DEFAULTS,
        watchdog: { ...MONITOR_DEFAULTS.watchdog, enabled: false },
    };
}

/** One canary round of our own, waiting up to `waitMs` for each direction's canary to arrive. */
async function ownCanaryRound(settings: MonitorSettings, db: MonitorDatabases, waitMs: number): Promise<MonitorState["directions"]> {
    const probe = new CanaryProbe(settings, db, monitorMetrics());
    const deadline = Date.now() + waitMs;
    let states = (await probe.roundAll()).states;
    // The first round reads the previous canary and sends a new one; the next rounds wait for it.
    let first = true;
    while (first || (DIRECTIONS.some((direction) => states[direction]?.pending) && Date.now() < deadline)) {
        first = false;
        await new Promise((resolve) => setTimeout(resolve, 250));
        states = (await probe.roundAll()).states;
    }
    return Object.fromEntries(
        DIRECTIONS.map((direction) => [direction, states[direction] ?? { pending: true }]),
    ) as MonitorState["directions"];
}

export async function gatherStatus(session: Session, options: { canaryWaitMs?: number } = {}): Promise<PipelineStatus> {
    const target = session.target();
    const state = emptyState();
    const unreachable: Record<string, string> = {};
    const note = (what: string, error: unknown) => (unreachable[what] = session.explain(error).message);
    const settings = adminSettings(target);
    const db = openDatabases(settings, { mysqlPassword: target.mysql.password, postgresPassword: target.postgres.password });
    const names = pipelineConnectors(target.prefix);
    let delaysFrom: PipelineStatus["delaysFrom"] = "unavailable";
    let conflicts: PipelineStatus["conflicts"];
    const lagBySink: Record<string, number> = {};
    try {
        await Promise.all([
            (async () => {
                try {
                    const statuses = await session.connect().listStatuses();
                    state.probes.connect = { up: true };
                    state.connectors = names.map((name) => {
                        const status = statuses[name];
                        if (!status) return { name, state: "ABSENT", tasks: [] };
                        return {
                            name,
                            state: status.connector.state,
                            tasks: status.tasks.map((task) => ({ id: task.id, state: task.state, trace: task.trace })),
                        };
                    });
                } catch (error) {
                    note("connect", error);
                }
            })(),
            (async () => {
                const admin = session.kafka().admin();
                try {
                    await admin.connect();
                    const view = await readKafkaView(admin, target.prefix);
                    state.probes.kafka = { up: true };
                    state.deadLetters = view.deadLetters;
                    for (const lag of view.lags) lagBySink[lag.group] = (lagBySink[lag.group] ?? 0) + lag.lag;
                } catch (error) {
                    note("kafka", error);
                } finally {
                    await admin.disconnect().catch(() => undefined);
                }
            })(),
            ...(["mysql", "postgres"] as Side[]).map(async (side) => {
                try {
                    const query = side === "mysql" ? db.mysqlQuery.bind(db) : db.postgresQuery.bind(db);
                    await query("SELECT 1");
                    state.probes[side] = { up: true };
                    const { conflictsTable, slot } = syncNames(target.prefix);
                    const rows = await query<{ table_name: string; winner: string; total: number; last_hour: number }>(
                        conflictTotalsSql(side, target.postgres.schema, conflictsTable),
                    );
                    conflicts = [
                        ...(conflicts ?? []),
                        ...rows.map((row) => ({
                            table: row.table_name,
                            winner: row.winner,
                            total: Number(row.total),
                            lastHour: Number(row.last_hour ?? 0),
                        })),
                    ];
                    if (side === "postgres") {
                        const [row] = await db.postgresQuery<Record<string, unknown>>(replicationSlotSql(slot));
                        state.slot = row
                            ? {
                                  name: slot,
                                  active: Boolean(row.active),
                                  walStatus: (row.wal_status as string | null) ?? null,
                                  retainedBytes: Number(row.retained_bytes ?? 0),
                              }
                            : { name: slot, missing: true };
                    }
                } catch (error) {
                    note(side, error);
                }
            }),
        ]);
        const fromMonitor = session.monitorUrl
            ? await axios
                  .get(`${session.monitorUrl.replace(/\/+$/, "")}/health`, { timeout: 3000, validateStatus: () => true })
                  .then((response) => response.data as { state?: MonitorState })
                  .catch(() => undefined)
            : undefined;
        if (fromMonitor?.state?.directions) {
            state.directions = fromMonitor.state.directions;
            state.watchdog = fromMonitor.state.watchdog ?? [];
            delaysFrom = "health monitor";
        } else if (state.probes.mysql.up && state.probes.postgres.up) {
            state.directions = await ownCanaryRound(settings, db, options.canaryWaitMs ?? 10_000).catch(() => state.directions);
            delaysFrom = "own canary round";
        }
    } finally {
        await db.close();
    }
    for (const [what, error] of Object.entries(unreachable))
        if (what in state.probes) state.probes[what as keyof MonitorState["probes"]].error = error;
    const connector = (role: string) =>
        state.connectors.find((entry) => entry.name === `${target.prefix}-${role}`) ?? {
            name: `${target.prefix}-${role}`,
            state: "UNKNOWN",
            tasks: [],
        };
    return {
        stack: target.stack,
        prefix: target.prefix,
        checkedAt: new Date().toISOString(),
        health: evaluateHealth(state, MONITOR_DEFAULTS.delayObjectiveSeconds),
        delaysFrom,
        monitorUrl: session.monitorUrl,
        directions: DIRECTIONS.map((direction) => ({
            direction,
            source: connector(ROLES[direction].source),
            sink: connector(ROLES[direction].sink),
            delaySeconds: state.directions[direction].delaySeconds,
            delayPending: state.directions[direction].pending,
            lag: state.probes.kafka.up ? (lagBySink[`connect-${target.prefix}-${ROLES[direction].sink}`] ?? 0) : undefined,
            deadLetters: state.deadLetters[direction],
        })),
        conflicts,
        slot: state.slot,
        watchdog: state.watchdog,
        unreachable,
    };
}
