// Effects: what the databases say about the sync — the PostgreSQL slot's retained WAL, the MySQL binlog's
// retention and how close purging is to the source's position, and new rows of both conflict logs (read
// from the last id seen on, bounded, so a long log is never scanned).
import { syncNames } from "../core/model";
import { MonitorSettings } from "../core/monitorSettings";
import { Side } from "../core/vocabulary";
import { conflictsHighWaterSql, conflictsSinceSql, replicationSlotSql } from "../sql/monitorSql";
import { pgLiteral, qi } from "../sql/postgresSql";
import { reconcileRunsSql } from "../sql/reconcileSql";
import { MonitorDatabases } from "./databases";
import { MonitorState } from "./health";
import { MonitorMetrics } from "./metrics";

const CONFLICT_ROWS_PER_ROUND = 10_000;

export class DatabaseProbes {
    private readonly names: ReturnType<typeof syncNames>;
    private readonly conflictsSeen: Partial<Record<Side, string>> = {};

    constructor(
        private readonly settings: MonitorSettings,
        private readonly db: MonitorDatabases,
        private readonly metrics: MonitorMetrics,
    ) {
        this.names = syncNames(settings.prefix);
    }

    private query(side: Side, sql: string): Promise<Record<string, unknown>[]> {
        return side === "mysql" ? this.db.mysqlQuery(sql) : this.db.postgresQuery(sql);
    }

    async slot(): Promise<MonitorState["slot"]> {
        const rows = await this.db.postgresQuery<Record<string, unknown>>(replicationSlotSql(this.names.slot));
        const slot_name = this.names.slot;
        this.metrics.slotWalStatus.reset();
        const row = rows[0];
        if (!row) {
            this.metrics.slotRetainedWal.remove({ slot_name });
            this.metrics.slotActive.remove({ slot_name });
            return { name: slot_name, missing: true };
        }
        const retainedBytes = Number(row.retained_bytes ?? 0);
        const walStatus = (row.wal_status as string | null) ?? null;
        this.metrics.slotRetainedWal.set({ slot_name }, retainedBytes);
        this.metrics.slotActive.set({ slot_name }, row.active ? 1 : 0);
        if (walStatus) this.metrics.slotWalStatus.set({ slot_name, wal_status: walStatus }, 1);
        return { name: slot_name, active: Boolean(row.active), walStatus, retainedBytes };
    }

    /** Retention, binlog size, and (with the source's committed position) bytes behind and the purge margin. */
    async binlog(sourcePosition: { file: string; pos: number } | undefined): Promise<MonitorState["binlog"]> {
        const [variables] = (await this.db.mysqlQuery(
            "SELECT @@GLOBAL.binlog_expire_logs_seconds AS seconds, @@GLOBAL.expire_logs_days AS days",
        )) as { seconds: number | null; days: number | null }[];
        const seconds = Number(variables?.seconds ?? 0);
        const retentionSeconds = seconds > 0 ? seconds : Number(variables?.days ?? 0) * 86_400;
        this.metrics.binlogRetention.set(retentionSeconds);
        const files = (await this.db.mysqlQuery("SHOW BINARY LOGS")) as { Log_name: string; File_size: number }[];
        this.metrics.binlogBytes.set(files.reduce((sum, file) => sum + Number(file.File_size), 0));
        const at = sourcePosition ? files.findIndex((file) => file.Log_name === sourcePosition.file) : -1;
        if (!sourcePosition || at < 0) return { retentionSeconds };
        const marginBytes = files.slice(0, at).reduce((sum, file) => sum + Number(file.File_size), 0);
        const behindBytes =
            Math.max(Number(files[at].File_size) - sourcePosition.pos, 0) +
            files.slice(at + 1).reduce((sum, file) => sum + Number(file.File_size), 0);
        this.metrics.binlogMargin.set(marginBytes);
        this.metrics.binlogBehind.set(behindBytes);
        return { retentionSeconds, marginBytes, behindBytes, readsActiveFile: at === files.length - 1 };
    }

    /** The last `tandem reconcile` of each table, once it ran (its table does not exist before). */
    async reconcileRuns(): Promise<void> {
        const schema = this.settings.postgres.schema;
        const table = this.names.reconcileRunsTable;
        const [exists] = await this.db.postgresQuery<{ present: boolean }>(
            `SELECT to_regclass(${pgLiteral(`${qi(schema)}.${qi(table)}`)}) IS NOT NULL AS present`,
        );
        if (!exists?.present) return;
        for (const row of await this.db.postgresQuery<{ table_name: string; differences: string; finished: number }>(
            reconcileRunsSql(schema, table),
        )) {
            this.metrics.reconcileDifferences.set({ table: row.table_name }, Number(row.differences));
            this.metrics.reconcileLastRun.set({ table: row.table_name }, Number(row.finished));
        }
    }

    /** Counts conflicts logged since the last round on one side (the first round only notes where the log ends). */
    async conflicts(side: Side): Promise<void> {
        const schema = this.settings.postgres.schema;
        const table = this.names.conflictsTable;
        const seen = this.conflictsSeen[side];
        if (seen === undefined) {
            const [row] = await this.query(side, conflictsHighWaterSql(side, schema, table));
            this.conflictsSeen[side] = String(row?.last_id ?? 0);
            return;
        }
        const rows = await this.query(side, conflictsSinceSql(side, schema, table, seen, CONFLICT_ROWS_PER_ROUND));
        let last = BigInt(seen);
        for (const row of rows) {
            if (Number(row.n) > 0) this.metrics.conflicts.inc({ table: String(row.table_name), winner: String(row.winner) }, Number(row.n));
            const id = BigInt(String(row.last_id));
            if (id > last) last = id;
        }
        this.conflictsSeen[side] = last.toString();
    }
}
