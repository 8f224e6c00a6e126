// Shared inputs of the SQL builders' tests.
import { TableDef } from "../../core/model";

export const table: TableDef = {
    name: "orders",
    primaryKey: ["id"],
    columns: [
        { name: "id", type: "int(11)", nullable: false },
        { name: "note", type: "varchar(20)", nullable: true },
        { name: "payload", type: "blob", nullable: true },
    ],
};
export const lww = { conflicts: "last-writer-wins" as const, tieWinner: "postgres" as const };
export const mysqlOptions = {
    database: "app",
    syncUser: "tandem_sync",
    policy: lww,
    flavor: "mariadb" as const,
    conflictsTable: "tandem_conflicts",
};
export const pgOptions = {
    schema: "public",
    syncUser: "tandem_sync",
    cdcUser: "tandem_cdc",
    policy: lww,
    publication: "tandem_pub",
    heartbeatTable: "tandem_heartbeat",
    conflictsTable: "tandem_conflicts",
    functionPrefix: "tandem",
};
