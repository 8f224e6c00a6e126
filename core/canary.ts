// The health monitor's canary table: synced like any other table, one row per writing side. Each side's
// monitor bumps its own row's `seq`; the receiving database stamps `arrived_us` (its clock, µs since the
// epoch) when the sync writes a newer `seq` there. With the row's `_tandem_version` (the write time on the
// origin side) that is the sync delay measured inside the databases, as pt-heartbeat does for replicas.
import { ColumnDef, TableDef } from "./model";
import { Direction, Side } from "./vocabulary";

export const CANARY_COLUMNS = { side: "side", seq: "seq", arrived: "arrived_us" } as const;

/** The table as each catalog describes it once created (the stack writes it, it is never read from a catalog). */
export function canaryTableDefs(name: string): { mysql: TableDef; postgres: TableDef } {
    const mysqlColumns: ColumnDef[] = [
        { name: CANARY_COLUMNS.side, type: "varchar(16)", nullable: false, collation: "utf8mb4_bin", charset: "utf8mb4" },
        { name: CANARY_COLUMNS.seq, type: "bigint", nullable: false },
        { name: CANARY_COLUMNS.arrived, type: "bigint", nullable: true },
    ];
    const postgresColumns: ColumnDef[] = [
        { name: CANARY_COLUMNS.side, type: "character varying(16)", nullable: false },
        { name: CANARY_COLUMNS.seq, type: "bigint", nullable: false },
        { name: CANARY_COLUMNS.arrived, type: "bigint", nullable: true },
    ];
    return {
        mysql: { name, columns: mysqlColumns, primaryKey: [CANARY_COLUMNS.side] },
        postgres: { name, columns: postgresColumns, primaryKey: [CANARY_COLUMNS.side] },
    };
}

/** The row a side's monitor writes is the one whose `side` names it; the other side's row only ever arrives. */
export function canarySides(direction: Direction): { origin: Side; receiver: Side } {
    return direction === "mysql-to-postgres" ? { origin: "mysql", receiver: "postgres" } : { origin: "postgres", receiver: "mysql" };
}
