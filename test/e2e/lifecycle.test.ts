// E2e: the lifecycle of a stack on one pair of databases and one Connect cluster (docs/lifecycle.md). Removed
// completely (teardown, destroy, stack rm) then deployed again with the same prefix; destroyed without teardown
// and deployed over what it left (offsets without their slot, a slot without offsets); deployed over a slot,
// a publication and accounts of its names left with other settings; a prefix change refused at preview.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import axios from "axios";
import { Kafka, logLevel } from "kafkajs";
import { Stack } from "@pulumi/pulumi/automation";
import { syncNames } from "../../core/model";
import { e2eSuite } from "../support/e2eSuite";
import { kafkaTopicName } from "../../core/topics";
import { eventually, REPO_ROOT, Sandbox } from "../support/sandbox";
import { mysqlQuery, postgresQuery, removeSyncStack, syncStack, topicEndOffsets, waitConverged } from "../support/syncStack";

const suffix = Date.now().toString(36).slice(-5);
const prefix = `lc${suffix}`;
const table = `lc_items_${suffix}`;
const names = syncNames(prefix);
const connectors = ["mysql-source", "postgres-source", "postgres-sink", "mysql-sink"].map((key) => `${prefix}-${key}`);

const sandboxScript = (...args: string[]) =>
    execFileSync("bash", [path.join(REPO_ROOT, "sandbox", "sandbox.sh"), ...args], { stdio: "pipe" });

async function connectorStates(sandbox: Sandbox, connectUrl = sandbox.connectUrl): Promise<Record<string, string[]>> {
    const answer = (await axios.get(`${connectUrl}/connectors?expand=status`)).data as Record<
        string,
        { status: { connector: { state: string }; tasks: { state: string }[] } }
    >;
    return Object.fromEntries(
        Object.entries(answer)
            .filter(([name]) => name.startsWith(`${prefix}-`))
            .map(([name, { status }]) => [name, [status.connector.state, ...status.tasks.map((task) => task.state)]]),
    );
}

async function assertAllRunning(sandbox: Sandbox, connectUrl = sandbox.connectUrl): Promise<void> {
    const states = await connectorStates(sandbox, connectUrl);
    assert.deepEqual(Object.keys(states).sort(), [...connectors].sort());
    for (const [name, list] of Object.entries(states))
        assert.ok(list.length >= 2 && list.every((s) => s === "RUNNING"), `${name}: ${list.join(", ")}`);
}

async function pipelineTopics(sandbox: Sandbox): Promise<string[]> {
    const admin = new Kafka({ clientId: "tandem-tests", brokers: [sandbox.kafkaBootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
        return (await admin.listTopics()).filter(
            (topic) => topic.startsWith(`${prefix}.`) || topic.startsWith(`__debezium-heartbeat.${prefix}.`),
        );
    } finally {
        await admin.disconnect();
    }
}

async function slot(sandbox: Sandbox): Promise<{ active: boolean } | undefined> {
    const rows = await postgresQuery<{ active: boolean }>(sandbox, "SELECT active FROM pg_replication_slots WHERE slot_name = $1", [
        names.slot,
    ]);
    return rows[0];
}

/** Runs `pulumi preview`, returning the error it failed with, or "" when it passed. */
async function previewRefusal(stack: Stack): Promise<string> {
    return stack.preview({ onOutput: () => undefined }).then(
        () => "",
        (error: Error) => error.message,
    );
}

/** Runs `pulumi up`, returning its output (the providers' notes are in it). */
async function up(stack: Stack): Promise<string> {
    let output = "";
    await stack.up({ onOutput: (line) => (output += line) });
    return output;
}

e2eSuite("lifecycle: teardown and deploy again, deploy over leftovers, a prefix change refused", { timeout: 600_000 }, (e2e) => {
    let stack: Stack | undefined;
    let nextId = 1;
    const write = async (side: "mysql" | "postgres") => {
        const id = nextId++;
        if (side === "mysql") await mysqlQuery(e2e.sandbox, `INSERT INTO \`${table}\` (id, note) VALUES (?, ?)`, [id, `mysql ${id}`]);
        else await postgresQuery(e2e.sandbox, `INSERT INTO public."${table}" (id, note) VALUES ($1, $2)`, [id, `postgres ${id}`]);
        return id;
    };
    const idsOn = async (side: "mysql" | "postgres") =>
        (side === "mysql"
            ? await mysqlQuery<{ id: number }>(e2e.sandbox, `SELECT id FROM \`${table}\` ORDER BY id`)
            : await postgresQuery<{ id: string }>(e2e.sandbox, `SELECT id FROM public."${table}" ORDER BY id`)
        ).map((row) => Number(row.id));

    /** Both sides converge and hold every one of these rows. */
    const arrivedBothWays = async (...ids: number[]) => {
        await waitConverged(e2e.sandbox, table, ["id", "note"], 90_000);
        for (const side of ["mysql", "postgres"] as const) {
            const held = await idsOn(side);
            assert.ok(
                ids.every((id) => held.includes(id)),
                `${side}: ${held.join(",")}`,
            );
        }
    };

    /** What preview says of another stack of this prefix (removed again), while this one streams. */
    const twinRefusal = async (stackName: string, extra: Record<string, string> = {}) => {
        const twin = await syncStack(e2e.sandbox, prefix, [table], extra, stackName);
        try {
            return await previewRefusal(twin);
        } finally {
            await twin.workspace.removeStack(twin.name);
        }
    };

    before(async () => {
        await mysqlQuery(e2e.sandbox, `CREATE TABLE \`${table}\` (id BIGINT PRIMARY KEY, note VARCHAR(40))`);
        await postgresQuery(e2e.sandbox, `CREATE TABLE public."${table}" (id BIGINT PRIMARY KEY, note VARCHAR(40))`);
    });

    after(async () => {
        sandboxScript("down", "connect-b");
        await removeSyncStack(e2e.sandbox, stack, [table]);
        await postgresQuery(
            e2e.sandbox,
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active",
            [names.slot],
        ).catch(() => undefined);
    });

    it("deploy, write both ways, then teardown + destroy + stack rm leave no connector, slot, publication, account or topic", async () => {
        stack = await syncStack(e2e.sandbox, prefix, [table]);
        await up(stack);
        await write("mysql");
        await write("postgres");
        await waitConverged(e2e.sandbox, table, ["id", "note"], 90_000);
        assert.ok((await pipelineTopics(e2e.sandbox)).length > 0, "the pipeline's topics exist while it runs");

        // Something the sync's writer came to own (as an older sink's schema evolution did): handed over, named.
        const owned = `lc_owned_${suffix}`;
        await postgresQuery(e2e.sandbox, `CREATE TABLE public."${owned}" (id int)`);
        await postgresQuery(e2e.sandbox, `ALTER TABLE public."${owned}" OWNER TO "${names.syncUser}"`);

        await stack.setConfig("tandem:teardownOnDestroy", { value: "true" });
        await up(stack);
        let destroyed = "";
        await stack.destroy({ onOutput: (line) => (destroyed += line) });
        await stack.workspace.removeStack(stack.name);
        stack = undefined;

        assert.match(
            destroyed,
            new RegExp(`tandem: role ${names.syncUser} owned relation ${owned}; handed to ${e2e.sandbox.postgres.user}`),
        );
        const [{ owner }] = await postgresQuery<{ owner: string }>(
            e2e.sandbox,
            "SELECT relowner::regrole::text AS owner FROM pg_class WHERE relname = $1",
            [owned],
        );
        assert.equal(owner, e2e.sandbox.postgres.user);
        await postgresQuery(e2e.sandbox, `DROP TABLE public."${owned}"`);
        assert.deepEqual(await connectorStates(e2e.sandbox), {});
        assert.equal(await slot(e2e.sandbox), undefined, "replication slot left");
        assert.deepEqual(
            await postgresQuery(e2e.sandbox, "SELECT pubname FROM pg_publication WHERE pubname = $1", [names.publication]),
            [],
        );
        assert.deepEqual(
            await postgresQuery(e2e.sandbox, "SELECT rolname FROM pg_roles WHERE rolname = ANY($1)", [[names.cdcUser, names.syncUser]]),
            [],
        );
        assert.deepEqual(
            await mysqlQuery(e2e.sandbox, "SELECT user FROM mysql.user WHERE user IN (?, ?)", [names.cdcUser, names.syncUser]),
            [],
        );
        assert.deepEqual(await pipelineTopics(e2e.sandbox), []);
    });

    it("a new stack with the same prefix runs with no FAILED task; rows written after it travel both ways", async () => {
        stack = await syncStack(e2e.sandbox, prefix, [table]);
        await up(stack);
        await assertAllRunning(e2e.sandbox);
        const fromMysql = await write("mysql");
        const fromPostgres = await write("postgres");
        const rows = await waitConverged(e2e.sandbox, table, ["id", "note"], 90_000);
        assert.deepEqual(
            rows.map((row) => Number(row.id)),
            [1, 2, fromMysql, fromPostgres],
        );
        await assertAllRunning(e2e.sandbox);
    });

    it("destroyed without teardown, its slot then dropped by hand: up resets the PostgreSQL source's stale offsets and resumes the MySQL one", async () => {
        await stack!.destroy({ onOutput: () => undefined });
        assert.deepEqual(await connectorStates(e2e.sandbox), {});
        await eventually("the slot released", 60_000, async () => ((await slot(e2e.sandbox))?.active === false ? true : undefined));
        await postgresQuery(e2e.sandbox, "SELECT pg_drop_replication_slot($1)", [names.slot]);
        const whileDown = await write("mysql"); // the MySQL source's offsets are good: it resumes and carries this row

        const output = await up(stack!);
        assert.match(
            output,
            new RegExp(
                `${prefix}-postgres-source: reset the offsets an earlier deployment left \\(lsn [0-9A-F]+/[0-9A-F]+\\): replication slot ${names.slot} they point into no longer exists`,
            ),
        );
        assert.match(output, new RegExp(`${prefix}-mysql-source: resumes from the offsets an earlier deployment left`));
        await assertAllRunning(e2e.sandbox);
        const after = await write("postgres");
        await arrivedBothWays(whileDown, after);
        await assertAllRunning(e2e.sandbox);
    });

    it("a slot left without offsets: preview says the source resumes from it, and the rows written meanwhile arrive", async () => {
        // The PostgreSQL source's offsets go (stopped, deleted through Connect), then the stack, without teardown.
        const source = `${prefix}-postgres-source`;
        await axios.put(`${e2e.sandbox.connectUrl}/connectors/${source}/stop`, null, { headers: { "Content-Type": "application/json" } });
        await eventually("the source stopped", 60_000, async () =>
            (await axios.get(`${e2e.sandbox.connectUrl}/connectors/${source}/status`)).data.connector.state === "STOPPED"
                ? true
                : undefined,
        );
        await axios.delete(`${e2e.sandbox.connectUrl}/connectors/${source}/offsets`);
        await stack!.destroy({ onOutput: () => undefined });
        await eventually("the slot released", 60_000, async () => ((await slot(e2e.sandbox))?.active === false ? true : undefined));
        const whileDown = await write("postgres");

        let preview = "";
        await stack!.preview({ onOutput: (line) => (preview += line) });
        assert.match(
            preview,
            new RegExp(`replication slot ${names.slot} exists without this stack's PostgreSQL source .*the source resumes from it`),
        );
        await up(stack!);
        await assertAllRunning(e2e.sandbox);
        await waitConverged(e2e.sandbox, table, ["id", "note"], 90_000);
        assert.ok((await idsOn("mysql")).includes(whileDown), "the row written while no connector ran did not arrive");
    });

    it("another stack of its prefix is refused at preview, on its cluster or another; moved to another Connect cluster on the same Kafka: the connectors go with their offsets (no new snapshot), rows flow; from a cluster that is down, preview refuses", async () => {
        const home = e2e.sandbox.connectUrl;
        const other = e2e.sandbox.connectBUrl!;
        assert.ok(other, "the sandbox has no second Connect cluster address (sandbox.env): update sandbox/sandbox.sh");
        sandboxScript("up", "connect-b");
        // Another stack of the same prefix on this cluster, while this one streams: its connectors are this stack's.
        assert.match(
            await twinRefusal(`${prefix}-same`),
            new RegExp(
                `connector ${prefix}-\\S+ on ${home} belongs to stack \\S+/${stack!.name}, not \\S+/${prefix}-same: two stacks must not share a topic prefix`,
            ),
        );
        // Another stack of the same prefix on the other cluster, while this one streams: refused at preview.
        assert.match(
            await twinRefusal(`${prefix}-twin`, { "tandem:connectUrl": other }),
            new RegExp(
                `replication slot ${names.slot} is in use by process \\d+.*connector ${prefix}-postgres-source is not on ${other}: another deployment`,
            ),
        );

        const changeTopic = kafkaTopicName(`${prefix}.mysql-to-postgres.${e2e.sandbox.mariadb.database}.${table}`);
        const before = (await topicEndOffsets(e2e.sandbox, [changeTopic]))[changeTopic];

        await stack!.setConfig("tandem:connectUrl", { value: other });
        const moved = await up(stack!);
        for (const key of ["mysql-source", "postgres-source"]) {
            assert.match(moved, new RegExp(`${prefix}-${key}: moved from ${home} to ${other} at `));
        }
        assert.deepEqual(await connectorStates(e2e.sandbox, home), {}, "left on the first cluster");
        await assertAllRunning(e2e.sandbox, other);
        const fromMysql = await write("mysql");
        const fromPostgres = await write("postgres");
        await arrivedBothWays(fromMysql, fromPostgres);
        // Resumed, not started afresh: the one row written since is the only new change (a snapshot would send every row).
        assert.equal((await topicEndOffsets(e2e.sandbox, [changeTopic]))[changeTopic], before + 1);

        // Back home, first from a cluster that is down: refused, its position being there.
        sandboxScript("down", "connect-b");
        await stack!.setConfig("tandem:connectUrl", { value: home });
        const refused = await previewRefusal(stack!);
        assert.match(refused, new RegExp(`connectUrl: connector ${prefix}-\\S+ moves from ${other}, which cannot be reached`));
        sandboxScript("up", "connect-b");
        await up(stack!);
        await assertAllRunning(e2e.sandbox, home);
        assert.deepEqual(await connectorStates(e2e.sandbox, other), {});
        const afterReturn = await write("mysql");
        await waitConverged(e2e.sandbox, table, ["id", "note"], 90_000);
        assert.ok((await idsOn("postgres")).includes(afterReturn));
        assert.equal((await topicEndOffsets(e2e.sandbox, [changeTopic]))[changeTopic], before + 2);
        sandboxScript("down", "connect-b");
    });

    it("destroyed without teardown, its schema history topic then lost: up resets the MySQL source's offsets and it loads afresh", async () => {
        await stack!.destroy({ onOutput: () => undefined });
        const history = `${prefix}.schema-history.mysql`;
        const admin = new Kafka({ clientId: "tandem-tests", brokers: [e2e.sandbox.kafkaBootstrap], logLevel: logLevel.NOTHING }).admin();
        await admin.connect();
        try {
            await admin.deleteTopics({ topics: [history], timeout: 30_000 });
        } finally {
            await admin.disconnect();
        }
        const whileDown = await write("mysql");

        const output = await up(stack!);
        assert.match(
            output,
            new RegExp(
                `${prefix}-mysql-source: reset the offsets an earlier deployment left \\(.+\\): schema history topic ${history} is missing; it starts afresh`,
            ),
        );
        await assertAllRunning(e2e.sandbox);
        const after = await write("postgres");
        await arrivedBothWays(whileDown, after);
        await assertAllRunning(e2e.sandbox);
    });

    it("changing the prefix of the deployed stack is refused at preview, naming tandem:topicPrefix and the way out", async () => {
        await stack!.setConfig("tandem:topicPrefix", { value: `${prefix}x` });
        const refused = await previewRefusal(stack!);
        await stack!.setConfig("tandem:topicPrefix", { value: prefix });
        assert.match(refused, new RegExp(`tandem:topicPrefix changed from "${prefix}" to "${prefix}x" on a deployed stack`));
        assert.match(refused, /tandem:teardownOnDestroy true, pulumi up, pulumi destroy/);
    });

    it("over a slot of its name with another plugin, preview refuses naming it; over a publication and accounts left with other settings, up brings them to the sync's", async () => {
        await stack!.setConfig("tandem:teardownOnDestroy", { value: "true" });
        await up(stack!);
        await stack!.destroy({ onOutput: () => undefined });
        await stack!.workspace.removeStack(stack!.name);
        stack = undefined;

        await postgresQuery(e2e.sandbox, "SELECT pg_create_logical_replication_slot($1, 'test_decoding')", [names.slot]);
        stack = await syncStack(e2e.sandbox, prefix, [table]);
        const refused = await previewRefusal(stack);
        assert.match(
            refused,
            new RegExp(`replication slot ${names.slot} uses the output plugin test_decoding \\(the sync needs pgoutput\\)`),
        );
        assert.match(refused, new RegExp(`SELECT pg_drop_replication_slot\\('${names.slot}'\\)`));
        await postgresQuery(e2e.sandbox, "SELECT pg_drop_replication_slot($1)", [names.slot]);

        // Left by someone else: a publication of every table, accounts holding far more than the sync's.
        await postgresQuery(e2e.sandbox, `CREATE PUBLICATION "${names.publication}" FOR ALL TABLES`);
        await postgresQuery(e2e.sandbox, `CREATE ROLE "${names.syncUser}" LOGIN CREATEDB CREATEROLE PASSWORD 'left-over'`);
        await mysqlQuery(e2e.sandbox, `CREATE USER '${names.cdcUser}'@'%' IDENTIFIED BY 'left-over'`);
        await mysqlQuery(e2e.sandbox, `GRANT ALL PRIVILEGES ON *.* TO '${names.cdcUser}'@'%' WITH GRANT OPTION`);
        await up(stack);
        await assertAllRunning(e2e.sandbox);

        const [publication] = await postgresQuery<{ puballtables: boolean; pubtruncate: boolean }>(
            e2e.sandbox,
            "SELECT puballtables, pubtruncate FROM pg_publication WHERE pubname = $1",
            [names.publication],
        );
        assert.equal(publication.puballtables, false);
        const published = await postgresQuery<{ tablename: string }>(
            e2e.sandbox,
            "SELECT tablename FROM pg_publication_tables WHERE pubname = $1 ORDER BY 1",
            [names.publication],
        );
        assert.deepEqual(published.map((row) => row.tablename).sort(), [names.canaryTable, names.heartbeatTable, table].sort());
        const [role] = await postgresQuery<{ rolcreatedb: boolean; rolcreaterole: boolean }>(
            e2e.sandbox,
            "SELECT rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = $1",
            [names.syncUser],
        );
        assert.deepEqual(role, { rolcreatedb: false, rolcreaterole: false });
        const grants = (await mysqlQuery<Record<string, string>>(e2e.sandbox, `SHOW GRANTS FOR '${names.cdcUser}'@'%'`)).map(
            (row) => Object.values(row)[0],
        );
        assert.ok(!grants.some((grant) => /ALL PRIVILEGES|GRANT OPTION/.test(grant)), grants.join("\n"));

        const fromMysql = await write("mysql");
        const fromPostgres = await write("postgres");
        await arrivedBothWays(fromMysql, fromPostgres);
    });
});
