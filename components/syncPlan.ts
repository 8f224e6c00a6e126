// Effects at preview: read both catalogs, select the tables, run preflight. Fails with one list of what must
// be fixed, and warns (grouped by kind) about values that will be mapped or quarantined.
import * as pulumi from "@pulumi/pulumi";
import { readMysql, readPostgres, ServerFacts } from "../database/catalog";
import { Settings } from "./settings";
import { TableDef } from "../core/model";
import { preflight, selectTables } from "../preflight/preflight";
import { acceptance, blocks, Finding, summarize } from "../core/risks";

export interface SyncPlan {
    tables: { mysql: TableDef[]; postgres: TableDef[] };
    /** Findings that do not stop the sync (mapped or quarantined values), accepted ones included. */
    findings: Finding[];
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

export async function planSync(
    settings: Settings,
    passwords: { mysql: pulumi.Output<string>; postgres: pulumi.Output<string> },
): Promise<SyncPlan> {
    const { mysql, postgres } = settings;
    // The catalogs are read from the machine running `pulumi`: the admin addresses.
    const mysqlFacts: ServerFacts = await read(`MySQL/MariaDB (${mysql.admin.host}:${mysql.admin.port})`, async () =>
        readMysql({
            host: mysql.admin.host,
            port: mysql.admin.port,
            user: mysql.user,
            password: await reveal(passwords.mysql),
            database: mysql.database,
            tls: mysql.tls,
        }),
    );
    const postgresFacts: ServerFacts = await read(`PostgreSQL (${postgres.admin.host}:${postgres.admin.port})`, async () =>
        readPostgres(
            {
                host: postgres.admin.host,
                port: postgres.admin.port,
                user: postgres.user,
                password: await reveal(passwords.postgres),
                database: postgres.database,
                tls: postgres.tls,
            },
            postgres.schema,
        ),
    );
    const tables = selectTables(
        mysqlFacts.tables.map((table) => table.name),
        {
            tables: settings.tables,
            include: settings.tableInclude,
            exclude: settings.tableExclude,
        },
    );
    if (tables.length === 0)
        throw new pulumi.RunError("preflight failed: no table matches tandem:tables / tandem:tableInclude / tandem:tableExclude");
    const findings = preflight({
        mysqlFlavor: mysql.flavor,
        mysqlSettings: mysqlFacts.settings,
        postgresSettings: postgresFacts.settings,
        mysqlTables: mysqlFacts.tables,
        postgresTables: postgresFacts.tables,
        mysqlRelations: mysqlFacts.relationNames,
        postgresRelations: postgresFacts.relationNames,
        tables,
        maxRowBytes: settings.maxRowBytes,
    });
    const { accepts } = acceptance(settings.acceptRisks);
    const blocking = findings.filter((finding) => blocks(finding, accepts));
    if (blocking.length > 0) {
        throw new pulumi.RunError(
            `preflight failed; the sync cannot run until these are fixed (docs/bidirectional.md: "What the sync refuses, maps and quarantines"):\n  - ${blocking.map((finding) => finding.message).join("\n  - ")}`,
        );
    }
    const warnings = findings.filter((finding) => !accepts(finding));
    if (warnings.length > 0) {
        void pulumi.log.warn(
            `preflight: values that will not cross as they are, by kind (mapped as documented, or quarantined in the dead-letter topic; silence a kind with tandem:acceptRisks):\n  - ${summarize(warnings).join("\n  - ")}`,
        );
    }
    const pick = (catalog: TableDef[]) => tables.map((name) => catalog.find((table) => table.name === name)!);
    return { tables: { mysql: pick(mysqlFacts.tables), postgres: pick(postgresFacts.tables) }, findings };
}
