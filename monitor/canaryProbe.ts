// Effects: the canary, both directions. Each round, per direction: read the origin's row (seq, write time,
// the origin database's clock) and the receiver's copy of it (seq, arrival stamp). Arrived: the delay is
// stamp − write time, observed once per canary, and the next canary is written. Not arrived: the delay is
// the canary's age on the origin's clock, so a stalled direction shows a rising delay. Everything lives in
// the databases, so a restarted monitor tells the truth at once. When a database cannot be read, the last
// known delay keeps growing with the monitor's clock: never a stale low value.
import { canarySides } from "../core/canary";
import { syncNames } from "../core/model";
import { MonitorSettings } from "../core/monitorSettings";
import { Direction, DIRECTIONS, Side } from "../core/vocabulary";
import { canaryBumpSql, canaryReadSql } from "../sql/monitorSql";
import { MonitorDatabases } from "./databases";
import { DirectionState } from "./health";
import { MonitorMetrics } from "./metrics";

interface CanaryRow {
    seq: number;
    version: number;
    arrived: number | null;
    nowUs: number;
}

export class CanaryProbe {
    private readonly table: string;
    private readonly lastObservedSeq: Partial<Record<Direction, number>> = {};
    /** The last delay known for sure, and when (monitor clock), to extrapolate while a database is away. */
    private readonly lastKnown: Partial<Record<Direction, { delaySeconds: number; at: number }>> = {};

    constructor(
        private readonly settings: MonitorSettings,
        private readonly db: MonitorDatabases,
        private readonly metrics: MonitorMetrics,
    ) {
        this.table = syncNames(settings.prefix).canaryTable;
    }

    private async read(engine: Side, origin: Side): Promise<CanaryRow | undefined> {
        const sql = canaryReadSql(engine, this.settings.postgres.schema, this.table, origin);
        const rows = engine === "mysql" ? await this.db.mysqlQuery(sql) : await this.db.postgresQuery(sql);
        const row = rows[0] as Record<string, unknown> | undefined;
        if (!row) return undefined;
        return {
            seq: Number(row.seq),
            version: Number(row.version),
            arrived: row.arrived === null || row.arrived === undefined ? null : Number(row.arrived),
            nowUs: Number(row.now_us),
        };
    }

    private async bump(origin: Side): Promise<void> {
        const sql = canaryBumpSql(origin, this.settings.postgres.schema, this.table);
        if (origin === "mysql") await this.db.mysqlQuery(sql);
        else await this.db.postgresQuery(sql);
    }

    private record(direction: Direction, delaySeconds: number, pending: boolean, now: number): DirectionState {
        this.lastKnown[direction] = { delaySeconds, at: now };
        this.metrics.syncDelay.set({ direction }, delaySeconds);
        return { delaySeconds, pending };
    }

    /** One round in one direction; throws (after extrapolating the delay) when a database cannot be read or written. */
    async round(direction: Direction, now = Date.now()): Promise<DirectionState> {
        const { origin, receiver } = canarySides(direction);
        try {
            const sent = await this.read(origin, origin);
            if (!sent) {
                await this.bump(origin); // the very first canary of this side
                return this.record(direction, 0, true, now);
            }
            let received: CanaryRow | undefined;
            try {
                received = await this.read(receiver, origin);
            } catch (error) {
                // The receiver is away: the canary cannot have arrived; its age on the origin's clock is the delay.
                this.record(direction, Math.max(sent.nowUs - sent.version, 0) / 1e6, true, now);
                throw error;
            }
            if (received && received.seq >= sent.seq && received.arrived !== null) {
                const delaySeconds = Math.max(received.arrived - sent.version, 0) / 1e6;
                if (this.lastObservedSeq[direction] !== sent.seq) {
                    this.lastObservedSeq[direction] = sent.seq;
                    this.metrics.canaryDelay.observe({ direction }, delaySeconds);
                }
                const state = this.record(direction, delaySeconds, false, now);
                await this.bump(origin);
                return { ...state, lastArrivalAt: new Date(received.arrived / 1000).toISOString() };
            }
            return this.record(direction, Math.max(sent.nowUs - sent.version, 0) / 1e6, true, now);
        } catch (error) {
            this.extrapolate(direction, now);
            throw error;
        }
    }

    /** The last known delay grown by the time since (monitor clock); sets the gauge. */
    private extrapolate(direction: Direction, now: number): number | undefined {
        const known = this.lastKnown[direction];
        if (!known) return undefined;
        const delaySeconds = known.delaySeconds + (now - known.at) / 1000;
        this.metrics.syncDelay.set({ direction }, delaySeconds);
        return delaySeconds;
    }

    /** Both directions; a failure of one does not stop the other. */
    async roundAll(): Promise<{ states: Partial<Record<Direction, DirectionState>>; errors: { direction: Direction; error: Error }[] }> {
        const states: Partial<Record<Direction, DirectionState>> = {};
        const errors: { direction: Direction; error: Error }[] = [];
        await Promise.all(
            DIRECTIONS.map(async (direction) => {
                try {
                    states[direction] = await this.round(direction);
                } catch (error) {
                    errors.push({ direction, error: error as Error });
                    states[direction] = { delaySeconds: this.extrapolate(direction, Date.now()), pending: true };
                }
            }),
        );
        return { states, errors };
    }
}
