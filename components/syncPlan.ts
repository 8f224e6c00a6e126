// Effects at preview: read both catalogs, select the tables, run preflight. Fails with one list of problems.
import * as pulumi from "@pulumi/pulumi";
import { readMysql, readPostgres, ServerFacts } from "../database/catalog";
import { Settings } from "./settings";
import { TableDef } from "./sync/model";
import { preflight, selectTables } from "./sync/preflight";

export interface SyncPlan {
    tables: { mysql: TableDef[]; postgres: TableDef[] };
}

function reveal(value: pulumi.Output<string>): Promise<string> {
    return new Promise((resolve) => value.apply((plain) => resolve(plain)));
}

async function read<T>(what: string, reader: () => Promise<T>): Promise<T> {
    try {
        return await reader();
    } catch (error) {
        throw new pulumi.RunError(`cannot read the ${what} catalog: ${(error as Error).message}`);
    }
}

export async function planSync(settings: Settings, passwords: { mysql: pulumi.Output<string>; postgres: pulumi.Output<string> }): Promise<SyncPlan> {
    const { mysql, postgres } = settings;
    // The catalogs are read from the machine running `pulumi`: the admin addresses.
    const mysqlFacts: ServerFacts = await read(`MySQL/MariaDB (${mysql.admin.host}:${mysql.admin.port})`, async () =>
        readMysql({ host: mysql.admin.host, port: mysql.admin.port, user: mysql.user, password: await reveal(passwords.mysql), database: mysql.database }),
    );
    const postgresFacts: ServerFacts = await read(`PostgreSQL (${postgres.admin.host}:${postgres.admin.port})`, async () =>
        readPostgres({ host: postgres.admin.host, port: postgres.admin.port, user: postgres.user, password: await reveal(passwords.postgres), database: postgres.database }, postgres.schema),
    );
    const tables = selectTables(mysqlFacts.tables.map((table) => table.name), {
        tables: settings.tables,
        include: settings.tableInclude,
        exclude: settings.tableExclude,
    });
    const problems = tables.length === 0 ? ["no table matches tandem:tableInclude / tandem:tableExclude"] : preflight({
        mysqlFlavor: mysql.flavor,
        mysqlSettings: mysqlFacts.settings,
        postgresSettings: postgresFacts.settings,
        mysqlTables: mysqlFacts.tables,
        postgresTables: postgresFacts.tables,
        tables,
    });
    if (problems.length > 0) {
        throw new pulumi.RunError(`preflight failed; the sync cannot run until these are fixed:\n  - ${problems.join("\n  - ")}`);
    }
    const pick = (catalog: TableDef[]) => tables.map((name) => catalog.find((table) => table.name === name)!);
    return { tables: { mysql: pick(mysqlFacts.tables), postgres: pick(postgresFacts.tables) } };
}
