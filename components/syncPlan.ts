// Effects at preview: read both catalogs, select the tables, run preflight. Fails with one list of what must
// be fixed, and warns (grouped by kind) about values that will be mapped or quarantined.
import * as pulumi from "@pulumi/pulumi";
import { readMysql, readPostgres, ServerFacts } from "../database/catalog";
import { Connection } from "../database/sqlObjectsProvider";
import { Settings } from "./settings";
import { TableDef } from "../core/model";
import { preflight, selectTables } from "../preflight/preflight";
import { acceptance, blocks, Finding, summarize } from "../core/risks";
import { readBinlogFiles, readReplicationSlot } from "../database/leftovers";
import { leftoverReport } from "../preflight/leftovers";
import { ResumeCheck } from "../connectors/resumeCheck";
import { ConnectClient } from "../connectors/connectClient";
import { withKafkaAdmin } from "../kafka/kafkaAdmin";
import { syncNames } from "../core/model";

export interface SyncPlan {
    tables: { mysql: TableDef[]; postgres: TableDef[] };
    /** Findings that do not stop the sync (mapped or quarantined values), accepted ones included. */
    findings: Finding[];
    /** What the sources' inherited offsets are checked against when they are new to the stack. */
    resumeChecks: { mysqlSource: ResumeCheck; postgresSource?: ResumeCheck };
}

function reveal(value: pulumi.Output<string>): Promise<string> {
    return new Promise((resolve) => value.apply((plain) => resolve(plain)));
}

/** How the machine running `pulumi` reaches a database: its admin address and account. */
async function adminConnection(side: Settings["mysql"] | Settings["postgres"], password: pulumi.Output<string>): Promise<Connection> {
    return {
        host: side.admin.host,
        port: side.admin.port,
        user: side.user,
        password: await reveal(password),
        database: side.database,
        tls: side.tls,
    };
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
    passwords: { mysql: pulumi.Output<string>; postgres: pulumi.Output<string>; kafka?: pulumi.Output<string> },
): Promise<SyncPlan> {
    const { mysql, postgres } = settings;
    // The catalogs are read from the machine running `pulumi`: the admin addresses.
    const mysqlFacts: ServerFacts = await read(`MySQL/MariaDB (${mysql.admin.host}:${mysql.admin.port})`, async () =>
        readMysql(await adminConnection(mysql, passwords.mysql)),
    );
    const postgresFacts: ServerFacts = await read(`PostgreSQL (${postgres.admin.host}:${postgres.admin.port})`, async () =>
        readPostgres(await adminConnection(postgres, passwords.postgres), postgres.schema),
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
    const resumeChecks = await checkLeftovers(settings, passwords);
    const pick = (catalog: TableDef[]) => tables.map((name) => catalog.find((table) => table.name === name)!);
    return { tables: { mysql: pick(mysqlFacts.tables), postgres: pick(postgresFacts.tables) }, findings, resumeChecks };
}

/** Whether the schema history topic exists, where `pulumi` reaches the stack's Kafka (local); else not known. */
async function historyTopicExists(settings: Settings, topic: string, kafkaPassword?: pulumi.Output<string>): Promise<boolean | undefined> {
    if (settings.environment !== "local") return undefined;
    const secured = settings.kafka.security === "sasl-scram";
    const access = secured
        ? {
              security: "sasl-scram" as const,
              username: settings.kafka.user,
              password: kafkaPassword ? await reveal(kafkaPassword) : "",
              ca: settings.kafka.ca,
          }
        : undefined;
    return withKafkaAdmin(settings.kafkaBootstrapServers, access, async (admin) => (await admin.listTopics()).includes(topic)).catch(
        () => undefined,
    );
}

/** Whether the stack's connector exists on its Connect cluster, where `pulumi` reaches it without credentials (local). */
async function onCluster(settings: Settings, connector: string): Promise<boolean | undefined> {
    if (settings.environment !== "local") return undefined;
    return new ConnectClient(settings.connectUrl, { retries: 0 })
        .getStatus(connector)
        .then((status) => status !== undefined)
        .catch(() => undefined);
}

/**
 * What an earlier deployment left where this one deploys: refuses what cannot be used (with the way out), says
 * what `up` will take over, and returns the facts the sources' inherited offsets are checked against.
 */
async function checkLeftovers(
    settings: Settings,
    passwords: { mysql: pulumi.Output<string>; postgres: pulumi.Output<string>; kafka?: pulumi.Output<string> },
): Promise<SyncPlan["resumeChecks"]> {
    const { mysql, postgres } = settings;
    const names = syncNames(settings.topicPrefix);
    const slot = await optional(`PostgreSQL (${postgres.admin.host}:${postgres.admin.port}): the replication slot`, async () =>
        readReplicationSlot(await adminConnection(postgres, passwords.postgres), names.slot),
    );
    const binlogFiles = await optional(`MySQL/MariaDB (${mysql.admin.host}:${mysql.admin.port}): the binlog files`, async () =>
        readBinlogFiles(await adminConnection(mysql, passwords.mysql)),
    );
    const historyTopic = `${settings.topicPrefix}.schema-history.mysql`;
    const historyExists = await historyTopicExists(settings, historyTopic, passwords.kafka);
    const report = leftoverReport({
        prefix: settings.topicPrefix,
        slotName: names.slot,
        postgresDatabase: postgres.database,
        ...(slot && slot !== "unread" ? { slot } : {}),
        postgresSourceOnCluster: await onCluster(settings, `${settings.topicPrefix}-postgres-source`),
    });
    if (report.refusals.length > 0) {
        throw new pulumi.RunError(
            `cannot deploy over what an earlier deployment left (docs/lifecycle.md):\n  - ${report.refusals.join("\n  - ")}`,
        );
    }
    for (const message of report.notes) void pulumi.log.info(`leftover: ${message}`);
    const postgresSource: ResumeCheck | undefined =
        slot === "unread"
            ? undefined
            : {
                  kind: "postgres-slot",
                  slot: names.slot,
                  exists: slot !== undefined,
                  ...(slot?.restartLsn ? { restartLsn: slot.restartLsn } : {}),
                  ...(slot?.active ? { heldBy: `process ${slot.activePid ?? "?"}${slot.client ? ` (${slot.client})` : ""}` } : {}),
              };
    return {
        ...(postgresSource ? { postgresSource } : {}),
        mysqlSource: {
            kind: "mysql-binlog",
            ...(binlogFiles !== "unread" ? { binlogFiles } : {}),
            ...(historyExists !== undefined ? { historyTopic: { name: historyTopic, exists: historyExists } } : {}),
        },
    };
}

/** A fact the leftover checks can do without: unreadable, it is warned about and left unchecked. */
async function optional<T>(what: string, reader: () => Promise<T>): Promise<T | "unread"> {
    try {
        return await reader();
    } catch (error) {
        void pulumi.log.warn(`leftover checks: cannot read ${what} (${(error as Error).message}); not checked`);
        return "unread";
    }
}
