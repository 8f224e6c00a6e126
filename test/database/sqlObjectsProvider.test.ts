// The SqlObjects provider without a database: its sessions are fakes that record what runs (real databases: e2e).
// Long on purpose: one case per provider method and decision.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN } from "../../core/unknown";
import {
    bindSecrets,
    postgresScramVerifier,
    runStatements,
    SessionOpeners,
    SqlObjectsInputs,
    sqlObjectsProvider,
    sqlObjectsProviderWith,
} from "../../database/sqlObjectsProvider";

type Engine = "mysql" | "postgres";
type Failure = Error & { errno?: number };

interface Session {
    engine: Engine;
    host: string;
    queries: string[];
    ended: boolean;
}

/** Fake sessions: each records its queries; `fail` decides which query fails and how. Escaping is visible: M'…' / P'…'. */
function fakeDatabase(fail: (sql: string) => Failure | undefined = () => undefined) {
    const sessions: Session[] = [];
    const open = (engine: Engine, host: string) => {
        const session: Session = { engine, host, queries: [], ended: false };
        sessions.push(session);
        return {
            async query(sql: string) {
                session.queries.push(sql);
                const failure = fail(sql);
                if (failure) throw failure;
                return [];
            },
            async end() {
                session.ended = true;
            },
        };
    };
    const openers: SessionOpeners = {
        async mysql(connection) {
            return { ...open("mysql", connection.host), escape: (value: string) => `M'${value}'` };
        },
        async postgres(connection) {
            return { ...open("postgres", connection.host), escapeLiteral: (value: string) => `P'${value}'` };
        },
    };
    return { openers, sessions, provider: sqlObjectsProviderWith(openers) };
}

const SQL_MODE = "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'";
const failure = (message: string, errno?: number): Failure => Object.assign(new Error(message), errno === undefined ? {} : { errno });

const inputs = (overrides: Partial<SqlObjectsInputs> = {}): SqlObjectsInputs => ({
    engine: "mysql",
    connection: { host: "db", port: 3306, user: "admin", password: "admin-password", database: "app" },
    description: "accounts",
    apply: ["CREATE USER IF NOT EXISTS 'c'@'%' IDENTIFIED BY {{secret:cdc}}", "GRANT SELECT ON *.* TO 'c'@'%'"],
    teardown: ["DROP USER IF EXISTS 'c'@'%'"],
    teardownOnDelete: false,
    secrets: { cdc: "s3cret" },
    ...overrides,
});

describe("SqlObjects provider", () => {
    describe("bindSecrets", () => {
        it("replaces every {{secret:name}} with the engine's literal of its value", () => {
            const quote = (value: string) => `<${value}>`;
            assert.equal(
                bindSecrets(
                    "ALTER USER a IDENTIFIED BY {{secret:a.b-c_1}}; -- {{secret:x}} {{secret:a.b-c_1}}",
                    { "a.b-c_1": "one", x: "two" },
                    quote,
                ),
                "ALTER USER a IDENTIFIED BY <one>; -- <two> <one>",
            );
        });

        it("gives MariaDB the native hash of a password, never the password (its binlog keeps account statements as written)", () => {
            // MySQL's documented example: PASSWORD('mypass') = '*6C8989366EAF75BB670AD8EA7A7FC1176A95CEF4'.
            assert.equal(
                bindSecrets("ALTER USER a IDENTIFIED BY PASSWORD {{secret:p:mysql-native-hash}}", { p: "mypass" }, (value) => `'${value}'`),
                "ALTER USER a IDENTIFIED BY PASSWORD '*6C8989366EAF75BB670AD8EA7A7FC1176A95CEF4'",
            );
        });

        it("gives PostgreSQL a SCRAM-SHA-256 verifier, never the password, with a fresh salt each time", () => {
            const bound = bindSecrets("ALTER ROLE a PASSWORD {{secret:p:postgres-scram}}", { p: "pencil" }, (value) => `'${value}'`);
            assert.match(bound, /^ALTER ROLE a PASSWORD 'SCRAM-SHA-256\$4096:[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}='$/);
            assert.ok(!bound.includes("pencil"));
            assert.notEqual(
                bound,
                bindSecrets("ALTER ROLE a PASSWORD {{secret:p:postgres-scram}}", { p: "pencil" }, (value) => `'${value}'`),
            );
        });

        it("computes the verifier PostgreSQL stores (vector from Python's hashlib/hmac, RFC 7677's salt)", () => {
            assert.equal(
                postgresScramVerifier("pencil", Buffer.from("W22ZaJ0SNY7soEsUEjb6gQ==", "base64")),
                "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
            );
            assert.throws(() => postgresScramVerifier("pässword"), /printable ASCII passwords only/);
        });

        it("passes values to the escaping as they are, replacement patterns included", () => {
            assert.equal(
                bindSecrets("PASSWORD {{secret:p}}", { p: "a$&b$1'\\" }, (value) => `[${value}]`),
                "PASSWORD [a$&b$1'\\]",
            );
        });

        it("fails on a placeholder whose secret is not given, naming it", () => {
            assert.throws(
                () => bindSecrets("PASSWORD {{secret:sync}}", { cdc: "x" }, (value) => value),
                /^Error: statement uses \{\{secret:sync\}\}, which is not given$/,
            );
        });

        it("leaves whatever is no placeholder alone", () => {
            const text = "{{secret:}} {{secret:a b}} {{ secret:a }} {secret:a} '{{secret'";
            assert.equal(
                bindSecrets(text, {}, () => assert.fail("nothing to bind")),
                text,
            );
        });
    });

    describe("check", () => {
        it("accepts inputs whose placeholders all have secrets, passing them on unchanged", async () => {
            const news = inputs();
            const result = await sqlObjectsProvider.check!(inputs(), news);
            assert.equal(result.inputs, news);
            assert.deepEqual(result.failures, []);
        });

        it("names the engine when it is neither mysql nor postgres", async () => {
            const result = await sqlObjectsProvider.check!({} as SqlObjectsInputs, inputs({ engine: "oracle" as Engine }));
            assert.deepEqual(result.failures, [{ property: "engine", reason: "must be mysql or postgres" }]);
        });

        it("names each apply statement using a secret that is not given (no secrets: none given)", async () => {
            const apply = [
                "SELECT 1",
                "ALTER USER a IDENTIFIED BY {{secret:cdc}}",
                "ALTER USER b IDENTIFIED BY {{secret:sync}} -- {{secret:cdc}}",
            ];
            assert.deepEqual((await sqlObjectsProvider.check!({} as SqlObjectsInputs, inputs({ apply, secrets: { cdc: "x" } }))).failures, [
                { property: "apply[2]", reason: "uses {{secret:sync}}, which is not given" },
            ]);
            assert.deepEqual((await sqlObjectsProvider.check!({} as SqlObjectsInputs, inputs({ apply, secrets: undefined }))).failures, [
                { property: "apply[1]", reason: "uses {{secret:cdc}}, which is not given" },
                { property: "apply[2]", reason: "uses {{secret:sync}}, which is not given" },
                { property: "apply[2]", reason: "uses {{secret:cdc}}, which is not given" },
            ]);
        });

        it("does not judge what preview does not know yet: unknown secrets or statements", async () => {
            const unknownSecrets = inputs({ secrets: UNKNOWN as unknown as Record<string, string> });
            assert.deepEqual((await sqlObjectsProvider.check!({} as SqlObjectsInputs, unknownSecrets)).failures, []);
            const unknownApply = inputs({ apply: UNKNOWN as unknown as string[], secrets: {} });
            assert.deepEqual((await sqlObjectsProvider.check!({} as SqlObjectsInputs, unknownApply)).failures, []);
        });
    });

    describe("diff", () => {
        const diff = (olds: SqlObjectsInputs, news: SqlObjectsInputs) => sqlObjectsProvider.diff!("id", olds, news);

        it("reports no change for the same inputs, nor for a new description (it is for humans only)", async () => {
            assert.deepEqual(await diff(inputs(), inputs()), { changes: false, replaces: [], deleteBeforeReplace: false });
            assert.deepEqual(await diff(inputs(), inputs({ description: "another text" })), {
                changes: false,
                replaces: [],
                deleteBeforeReplace: false,
            });
        });

        it("updates in place when the statements, the teardown, its switch, the secrets or the credentials change", async () => {
            const updates: Partial<SqlObjectsInputs>[] = [
                { apply: [...inputs().apply, "GRANT RELOAD ON *.* TO 'c'@'%'"] },
                { apply: [...inputs().apply].reverse() },
                { teardown: [] },
                { teardownOnDelete: true },
                { secrets: { cdc: "rotated" } },
                { secrets: { ...inputs().secrets, sync: "added" } },
                { connection: { ...inputs().connection, password: "rotated" } },
                { connection: { ...inputs().connection, user: "other_admin" } },
            ];
            for (const update of updates) {
                assert.deepEqual(
                    await diff(inputs(), inputs(update)),
                    { changes: true, replaces: [], deleteBeforeReplace: false },
                    JSON.stringify(update),
                );
            }
        });

        it("replaces the objects when they would live elsewhere: another engine, host, port or database", async () => {
            const moves: Partial<SqlObjectsInputs>[] = [
                { engine: "postgres" },
                { connection: { ...inputs().connection, host: "other" } },
                { connection: { ...inputs().connection, port: 3307 } },
                { connection: { ...inputs().connection, database: "other" } },
            ];
            for (const move of moves) {
                assert.deepEqual(
                    await diff(inputs(), inputs(move)),
                    { changes: true, replaces: ["connection"], deleteBeforeReplace: false },
                    JSON.stringify(move),
                );
            }
        });

        it("counts secrets preview does not know yet as a change", async () => {
            assert.deepEqual(await diff(inputs(), inputs({ secrets: UNKNOWN as unknown as Record<string, string> })), {
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            });
        });
    });

    describe("create, update, delete", () => {
        it("create runs apply on MySQL in strict sql_mode, secrets bound as MySQL literals, and returns a new id with the inputs", async () => {
            const db = fakeDatabase();
            const news = inputs();
            const result = await db.provider.create!(news);
            assert.match(result.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
            assert.equal(result.outs, news);
            assert.deepEqual(db.sessions, [
                {
                    engine: "mysql",
                    host: "db",
                    queries: [SQL_MODE, "CREATE USER IF NOT EXISTS 'c'@'%' IDENTIFIED BY M's3cret'", "GRANT SELECT ON *.* TO 'c'@'%'"],
                    ended: true,
                },
            ]);
            assert.notEqual((await db.provider.create!(news)).id, result.id);
        });

        it("create runs apply on PostgreSQL with its own literals and no sql_mode", async () => {
            const db = fakeDatabase();
            await db.provider.create!(inputs({ engine: "postgres", apply: ['ALTER ROLE "c" PASSWORD {{secret:cdc}}'] }));
            assert.deepEqual(db.sessions, [
                { engine: "postgres", host: "db", queries: [`ALTER ROLE "c" PASSWORD P's3cret'`], ended: true },
            ]);
        });

        it("opens no session when there is nothing to run", async () => {
            const db = fakeDatabase();
            await db.provider.create!(inputs({ apply: [] }));
            await runStatements("postgres", inputs().connection, [], {}, db.openers);
            assert.deepEqual(db.sessions, []);
        });

        it("update runs the new apply with the new secrets on the new connection, and returns the new inputs", async () => {
            const db = fakeDatabase();
            const news = inputs({
                apply: ["ALTER USER 'c'@'%' IDENTIFIED BY {{secret:cdc}}"],
                secrets: { cdc: "rotated" },
                connection: { ...inputs().connection, host: "new-host" },
            });
            assert.deepEqual(await db.provider.update!("id", inputs(), news), { outs: news });
            assert.deepEqual(db.sessions, [
                { engine: "mysql", host: "new-host", queries: [SQL_MODE, "ALTER USER 'c'@'%' IDENTIFIED BY M'rotated'"], ended: true },
            ]);
        });

        it("delete keeps the objects unless teardownOnDelete, then runs the teardown with the secrets", async () => {
            const db = fakeDatabase();
            await db.provider.delete!("id", inputs({ teardownOnDelete: false }));
            assert.deepEqual(db.sessions, []);
            await db.provider.delete!(
                "id",
                inputs({ teardownOnDelete: true, teardown: ["DROP USER IF EXISTS 'c'@'%' -- {{secret:cdc}}"] }),
            );
            assert.deepEqual(db.sessions, [
                { engine: "mysql", host: "db", queries: [SQL_MODE, "DROP USER IF EXISTS 'c'@'%' -- M's3cret'"], ended: true },
            ]);
        });

        it("runs statements that use no secret when none are given", async () => {
            const db = fakeDatabase();
            await runStatements("mysql", inputs().connection, ["SELECT 1"], undefined, db.openers);
            assert.deepEqual(db.sessions[0].queries, [SQL_MODE, "SELECT 1"]);
        });
    });

    describe("failures", () => {
        it("names the failing statement by its first line (200 characters, secrets unbound), runs nothing after it and closes the session", async () => {
            const statement = `GRANT ${"X".repeat(300)} TO {{secret:cdc}}\nsecond line`;
            const db = fakeDatabase((sql) => (sql.startsWith("GRANT") ? failure("Access denied", 1045) : undefined));
            await assert.rejects(db.provider.create!(inputs({ apply: ["SELECT 1", statement, "SELECT 2"] })), (error: Error) => {
                assert.equal(error.message, `Access denied\n  in: ${statement.split("\n")[0].slice(0, 200)}`);
                assert.doesNotMatch(error.message, /s3cret/);
                return true;
            });
            assert.deepEqual(db.sessions[0].queries.slice(1), ["SELECT 1", `GRANT ${"X".repeat(300)} TO M's3cret'\nsecond line`]);
            assert.equal(db.sessions[0].ended, true);
        });

        it("names the failing statement on PostgreSQL too", async () => {
            const db = fakeDatabase(() => failure('role "c" does not exist'));
            await assert.rejects(
                db.provider.update!("id", inputs(), inputs({ engine: "postgres", apply: ['ALTER ROLE "c" PASSWORD {{secret:cdc}}'] })),
                { message: `role "c" does not exist\n  in: ALTER ROLE "c" PASSWORD {{secret:cdc}}` },
            );
            assert.equal(db.sessions[0].ended, true);
        });

        it("on MySQL, passes over exactly the error codes a statement's tolerate prefix lists", async () => {
            const tolerated = "/* tandem:tolerate 1060,1091 */ ALTER TABLE t ADD COLUMN c INT";
            const db = fakeDatabase((sql) => (sql.startsWith("/*") ? failure("Duplicate column name 'c'", 1060) : undefined));
            await runStatements("mysql", inputs().connection, [tolerated, "SELECT 1"], {}, db.openers);
            assert.deepEqual(db.sessions[0].queries, [SQL_MODE, tolerated, "SELECT 1"]);
            for (const error of [failure("Table 't' doesn't exist", 1146), failure("Connection lost")]) {
                const failing = fakeDatabase((sql) => (sql.startsWith("/*") ? error : undefined));
                await assert.rejects(runStatements("mysql", inputs().connection, [tolerated, "SELECT 1"], {}, failing.openers), {
                    message: `${error.message}\n  in: ${tolerated}`,
                });
                assert.deepEqual(failing.sessions[0].queries, [SQL_MODE, tolerated]);
            }
        });

        it("tolerates nothing on PostgreSQL", async () => {
            const statement = "/* tandem:tolerate 1060 */ SELECT 1";
            const db = fakeDatabase(() => failure("syntax error", 1060));
            await assert.rejects(runStatements("postgres", inputs().connection, [statement], {}, db.openers), {
                message: `syntax error\n  in: ${statement}`,
            });
        });

        it("refuses a statement whose secret is missing before it runs, and closes the session", async () => {
            const db = fakeDatabase();
            await assert.rejects(db.provider.create!(inputs({ apply: ["SELECT 1", "ALTER USER a IDENTIFIED BY {{secret:sync}}"] })), {
                message: "statement uses {{secret:sync}}, which is not given",
            });
            assert.deepEqual(db.sessions, [{ engine: "mysql", host: "db", queries: [SQL_MODE, "SELECT 1"], ended: true }]);
        });

        it("lets a failure to set MySQL's sql_mode through as it is, and closes the session", async () => {
            const db = fakeDatabase((sql) => (sql === SQL_MODE ? failure("Variable 'sql_mode' can't be set", 1231) : undefined));
            await assert.rejects(db.provider.create!(inputs()), { message: "Variable 'sql_mode' can't be set" });
            assert.deepEqual(db.sessions, [{ engine: "mysql", host: "db", queries: [SQL_MODE], ended: true }]);
        });
    });

    it("survives Pulumi's serialization into the state, which is what the engine runs", async function () {
        this.timeout(20_000);
        const serialized = await pulumi.runtime.serializeFunction(() => sqlObjectsProvider, { allowSecrets: true });
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-provider-"));
        try {
            const file = path.join(dir, "provider.js");
            fs.writeFileSync(file, serialized.text);
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the serialized text as the engine does
            const provider = (require(file) as { handler: () => typeof sqlObjectsProvider }).handler();
            assert.deepEqual((await provider.check!({} as SqlObjectsInputs, inputs({ secrets: {} }))).failures, [
                { property: "apply[0]", reason: "uses {{secret:cdc}}, which is not given" },
            ]);
            assert.deepEqual(await provider.diff!("id", inputs(), inputs({ teardownOnDelete: true })), {
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            });
            assert.match((await provider.create!(inputs({ apply: [] }))).id, /^[0-9a-f-]{36}$/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
