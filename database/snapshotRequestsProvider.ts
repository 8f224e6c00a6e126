// The dynamic provider behind SnapshotRequests: asks the MySQL/MariaDB source for an incremental snapshot of
// the tables the stack adds, through Debezium's signaling table, and checks that the snapshot started.
// Serialized into Pulumi's state: packages are required inside functions.
import type * as pulumi from "@pulumi/pulumi";
import { mysqlIncrementalSnapshotSignal, q } from "../sql/mysqlSql";
import { mysqlDriverOptions } from "../core/databaseTls";
import type { Connection } from "./sqlObjectsProvider";
import { InitialLoad } from "../core/vocabulary";

export interface SnapshotRequestsInputs {
    connection: Connection;
    database: string;
    signalTable: string;
    /** Every synced table; those new since the last update are snapshotted. */
    tables: string[];
    /**
     * snapshot: the connector's initial snapshot loads the first tables; incremental: signal them too;
     * bulk and none: never (`tandem load` copies them, or nobody needs to).
     */
    initialLoad: InitialLoad;
    /** How long to wait for the source to open its first snapshot window. */
    timeoutSeconds?: number;
}

export interface SnapshotRequestsOutputs extends SnapshotRequestsInputs {
    /** Tables signalled by the last create/update (empty tables need no snapshot and are left out). */
    requested: string[];
}

function note(message: string): void {
    process.stderr.write(`${message}\n`);
}

/** Sends one execute-snapshot signal and waits for the source to open a snapshot window; retries once. */
export async function requestSnapshot(inputs: SnapshotRequestsInputs, tables: string[]): Promise<string[]> {
    const mysql: typeof import("mysql2/promise") = require("mysql2/promise");
    const crypto: typeof import("crypto") = require("crypto");
    const db = await mysql.createConnection({ ...mysqlDriverOptions(inputs.connection), multipleStatements: false });
    try {
        const nonEmpty: string[] = [];
        for (const table of tables) {
            const [rows] = await db.query(`SELECT 1 FROM ${q(inputs.database)}.${q(table)} LIMIT 1`);
            if ((rows as unknown[]).length > 0) nonEmpty.push(table);
        }
        if (nonEmpty.length === 0) return [];
        const windows = async () => {
            const [rows] = await db.query(`SELECT COUNT(*) AS n FROM ${q(inputs.signalTable)} WHERE type = 'snapshot-window-open'`);
            return Number((rows as { n: number }[])[0].n);
        };
        const timeoutMs = (inputs.timeoutSeconds ?? 90) * 1000;
        for (let attempt = 1; attempt <= 2; attempt++) {
            const before = await windows();
            await db.query(mysqlIncrementalSnapshotSignal(inputs.signalTable, inputs.database, nonEmpty, `tandem-${crypto.randomUUID()}`));
            note(`incremental snapshot of ${nonEmpty.join(", ")} requested (attempt ${attempt})`);
            const deadline = Date.now() + timeoutMs;
            while (Date.now() < deadline) {
                if ((await windows()) > before) return nonEmpty;
                await new Promise((resolve) => setTimeout(resolve, 1000));
            }
            // A source still running its old configuration ignores tables it does not capture yet: ask again.
        }
        throw new Error(
            `the MySQL/MariaDB source did not start the incremental snapshot of ${nonEmpty.join(", ")} within ${timeoutMs / 1000} s (twice): check its task and log, then run pulumi up again`,
        );
    } finally {
        await db.end();
    }
}

export const snapshotRequestsProvider: pulumi.dynamic.ResourceProvider<SnapshotRequestsInputs, SnapshotRequestsOutputs> = {
    async diff(_id, olds, news) {
        const changes =
            JSON.stringify([...olds.tables].sort()) !== JSON.stringify([...news.tables].sort()) ||
            olds.initialLoad !== news.initialLoad ||
            olds.database !== news.database ||
            olds.signalTable !== news.signalTable ||
            JSON.stringify(olds.connection) !== JSON.stringify(news.connection);
        return { changes, replaces: [], deleteBeforeReplace: false };
    },

    async create(inputs) {
        // With `snapshot`, the connector's initial snapshot loads the tables it starts with.
        const requested = inputs.initialLoad === "incremental" ? await requestSnapshot(inputs, inputs.tables) : [];
        const crypto: typeof import("crypto") = require("crypto");
        return { id: crypto.randomUUID(), outs: { ...inputs, requested } };
    },

    async update(_id, olds, news) {
        const added = news.tables.filter((table) => !olds.tables.includes(table));
        const requested =
            (news.initialLoad === "snapshot" || news.initialLoad === "incremental") && added.length > 0
                ? await requestSnapshot(news, added)
                : [];
        return { outs: { ...news, requested } };
    },
};
