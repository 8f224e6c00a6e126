// The secrets scan: a stack of one table pair with its health monitor is deployed on the sandbox, rows go both
// ways, then faults make the restart and recovery paths log too (every task restarted through the REST API, the
// CDC accounts' sessions killed on both databases, a config change applied by a second `up`). Then every secret
// the stack holds is collected — the admin passwords of its config, the six generated passwords (connector
// secret files, secret stack outputs, the state) — and none may appear, as such or base64-encoded, in: Pulumi's
// state without --show-secrets, Connect's internal topics and REST API, the sandbox's and the monitor's logs,
// process command lines, MariaDB's binlog, PostgreSQL's log, WAL and live statements. Each source must hold what
// shows it was the right one (the stack's connectors, accounts, roles…), so that an empty scan cannot pass.
// The local stack has no REST or Kafka password (basic auth and SASL are prod's): the inventory asserts so.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import axios from "axios";
import { Kafka, logLevel } from "kafkajs";
import { Stack } from "@pulumi/pulumi/automation";
import { SECRET_STRINGS } from "../../components/stackConfig";
import { syncNames } from "../../core/model";
import { readTopic } from "../../ops/topicReader";
import { e2eSuite } from "../support/e2eSuite";
import { freePort } from "../support/prometheus";
import { eventually, REPO_ROOT, stateDir } from "../support/sandbox";
import {
    binlogFilesSince,
    binlogPosition,
    describeFindings,
    filesUnder,
    Finding,
    Needle,
    needlesFor,
    postgresLogFile,
    pulumiCli,
    scanBuffer,
    scanFile,
    scanText,
    walPosition,
    walSegmentsSince,
} from "../support/secretScan";
import { mysqlQuery, postgresQuery, removeSyncStack, syncStack, waitConverged } from "../support/syncStack";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A secret as `stack export --show-secrets` prints it: `{"4dabf…": "1b47…", "plaintext": "<JSON>"}`. */
function isRevealedSecret(value: Json): value is { plaintext: string } {
    return Boolean(value && typeof value === "object" && !Array.isArray(value) && typeof value.plaintext === "string");
}

/** String leaves of `value` as [path, text], those under a Pulumi secret only when `secretOnly`. */
function stringLeaves(value: Json, at: string, inSecret: boolean, secretOnly: boolean): [string, string, boolean][] {
    if (isRevealedSecret(value)) return stringLeaves(JSON.parse(value.plaintext) as Json, at, true, secretOnly);
    if (typeof value === "string") return !secretOnly || inSecret ? [[at, value, inSecret]] : [];
    if (Array.isArray(value)) return value.flatMap((item, index) => stringLeaves(item, `${at}[${index}]`, inSecret, secretOnly));
    if (value && typeof value === "object")
        return Object.entries(value).flatMap(([key, item]) => stringLeaves(item, `${at}.${key}`, inSecret, secretOnly));
    return [];
}

/** Paths of the state that hold credentials (hashes of them excepted: `sensitiveHashes` only says whether one changed). */
const CREDENTIAL_PATH = /password|passwd|secret|token|credential|api.?key|private|sensitiveConfig|kubeconfig/i;

/** The Connect worker's internal topics (config, offsets, status), from the sandbox's worker template. */
function connectInternalTopics(): Record<"config" | "offset" | "status", string> {
    const template = fs.readFileSync(path.join(REPO_ROOT, "sandbox", "conf", "connect-worker.properties.tmpl"), "utf8");
    const topic = (kind: string) => {
        const name = new RegExp(`^${kind}\\.storage\\.topic=(.+)$`, "m").exec(template)?.[1]?.trim();
        assert.ok(name, `${kind}.storage.topic in the worker template`);
        return name;
    };
    return { config: topic("config"), offset: topic("offset"), status: topic("status") };
}

/** The file backend's folder (PULUMI_BACKEND_URL=file://…, set by toolchain/env.sh). */
function backendDir(): string {
    const url = process.env.PULUMI_BACKEND_URL ?? "";
    assert.match(url, /^file:\/\//, "the tests run on Pulumi's file backend (toolchain/env.sh)");
    return url.slice("file://".length).replace(/^~(?=\/)/, process.env.HOME ?? "~");
}

e2eSuite(
    "e2e: no secret of a stack in its state, Connect, logs, command lines or the databases' logs",
    { timeout: 20 * 60 * 1000, bail: false },
    (e2e) => {
        const suffix = `${Date.now().toString(36).slice(-5)}${Math.floor(Math.random() * 1e3)}`;
        const prefix = `sec-${suffix}`;
        const table = `sec_items_${suffix}`;
        const names = syncNames(prefix);
        let stack: Stack;
        let monitorUrl = "";
        let connectors: string[] = [];
        /** Where MariaDB's binlog and PostgreSQL's WAL stood before the stack existed: the window scanned. */
        let binlogFrom = { file: "", position: 0 };
        let walFrom = "";
        /** Label → value of every secret the stack holds (filled by the inventory test). */
        const secrets = new Map<string, string>();
        let needles: Needle[] = [];
        const connect = () => e2e.sandbox.connectUrl;
        let rows = 0;

        /** One row from each side, then both sides identical. */
        const roundTrip = async (what: string, timeoutMs = 120_000) => {
            await mysqlQuery(e2e.sandbox, `INSERT INTO \`${table}\` (name) VALUES (?)`, [`${what} from mariadb`]);
            await postgresQuery(e2e.sandbox, `INSERT INTO public."${table}" (name) VALUES ($1)`, [`${what} from postgres`]);
            rows += 2;
            const converged = await waitConverged(e2e.sandbox, table, ["id", "name"], timeoutMs);
            assert.equal(converged.length, rows, `${what}: every row on both sides`);
        };

        const allRunning = async () =>
            eventually(`${connectors.join(", ")} and their tasks RUNNING`, 120_000, async () => {
                for (const name of connectors) {
                    const status = (await axios.get(`${connect()}/connectors/${name}/status`)).data as {
                        connector: { state: string };
                        tasks: { state: string }[];
                    };
                    if (
                        status.connector.state !== "RUNNING" ||
                        status.tasks.length === 0 ||
                        status.tasks.some((t) => t.state !== "RUNNING")
                    )
                        return undefined;
                }
                return true;
            });

        /** Fails with every finding (the secrets masked), grouped by source, when there is one. */
        const assertNoFindings = (what: string, findings: Finding[]) =>
            assert.equal(findings.length, 0, `secrets found in ${what}:\n${describeFindings(findings)}`);

        const report = (line: string) => process.stdout.write(`      ${line}\n`);

        before(async () => {
            const { file, position } = await binlogPosition(e2e.sandbox);
            binlogFrom = { file, position };
            walFrom = (await walPosition(e2e.sandbox)).segment;
            await mysqlQuery(e2e.sandbox, `CREATE TABLE \`${table}\` (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL)`);
            await postgresQuery(
                e2e.sandbox,
                `CREATE TABLE public."${table}" (id integer GENERATED BY DEFAULT AS IDENTITY (START WITH 2 INCREMENT BY 2) PRIMARY KEY, name varchar(100) NOT NULL)`,
            );
            const port = await freePort();
            stack = await syncStack(e2e.sandbox, prefix, [table], {
                "tandem:healthMonitor": "true",
                "tandem:healthMonitorPort": String(port),
            });
        });

        after(async () => removeSyncStack(e2e.sandbox, stack, [table]));

        it("deploys one table pair with the health monitor and syncs rows both ways", async () => {
            const result = await stack.up({ onOutput: () => undefined });
            assert.equal(result.summary.result, "succeeded");
            monitorUrl = result.outputs.dashboards.value.healthMonitor;
            assert.ok(monitorUrl, "the stack runs a health monitor");
            connectors = Object.values(result.outputs.connectors.value as Record<string, { name: string }>).map((c) => c.name);
            assert.deepEqual(
                [...connectors].sort(),
                ["mysql-sink", "mysql-source", "postgres-sink", "postgres-source"].map((role) => `${prefix}-${role}`),
            );
            await roundTrip("first");
        });

        it("recovers from restarted tasks, killed CDC sessions and a config change applied by a second `up`", async () => {
            // 1. Every connector and its tasks restarted through the REST API.
            for (const name of connectors) {
                const response = await axios.post(`${connect()}/connectors/${name}/restart?includeTasks=true`, null, {
                    headers: { "Content-Type": "application/json" },
                    validateStatus: () => true,
                });
                assert.ok([200, 202, 204].includes(response.status), `restart of ${name}: HTTP ${response.status}`);
            }
            await allRunning();
            await roundTrip("after the restarts");

            // 2. The CDC accounts' sessions killed: MariaDB's binlog reader reconnects, PostgreSQL's walsender ends.
            const mysqlSessions = await mysqlQuery<{ id: number }>(
                e2e.sandbox,
                "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = ?",
                [names.cdcUser],
            );
            assert.ok(mysqlSessions.length >= 1, `a session of ${names.cdcUser} on MariaDB`);
            for (const { id } of mysqlSessions) await mysqlQuery(e2e.sandbox, `KILL CONNECTION ${Number(id)}`).catch(() => undefined);
            const terminated = await postgresQuery<{ ended: boolean }>(
                e2e.sandbox,
                "SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE usename = $1",
                [names.cdcUser],
            );
            assert.ok(terminated.length >= 1, `a session of ${names.cdcUser} on PostgreSQL`);
            await roundTrip("after the killed sessions", 240_000);
            await allRunning();

            // 3. A config change (the largest row carried) applied by `up`: the sources get a new producer config.
            const sourceConfig = async () =>
                (await axios.get(`${connect()}/connectors/${prefix}-mysql-source/config`)).data as Record<string, string>;
            const before = (await sourceConfig())["producer.override.max.request.size"];
            await stack.setConfig("tandem:maxRowBytes", { value: String(4 * 1024 * 1024) });
            const result = await stack.up({ onOutput: () => undefined });
            assert.equal(result.summary.result, "succeeded");
            assert.notEqual(
                (await sourceConfig())["producer.override.max.request.size"],
                before,
                "the new max.request.size reached Connect",
            );
            await allRunning();
            await roundTrip("after the second up");
        });

        it("collects every secret the stack holds: the 2 admin passwords of its config and its 6 generated passwords", async () => {
            const add = (label: string, value: unknown) => {
                if (typeof value !== "string" || value === "") return;
                for (const [known, existing] of secrets) if (existing === value && known !== label) return; // first label wins
                secrets.set(label, value);
            };
            // The stack's config: secret keys, and the keys read as secrets although Pulumi.yaml cannot mark them so.
            const config = JSON.parse(await pulumiCli(["config", "--json", "--show-secrets", "--stack", prefix])) as Record<
                string,
                { value?: string; secret?: boolean }
            >;
            const configSecrets = Object.entries(config).filter(
                ([key, entry]) => entry.secret || (SECRET_STRINGS.some((name) => key === `tandem:${name}`) && entry.value),
            );
            assert.deepEqual(configSecrets.map(([key]) => key).sort(), ["tandem:mysqlPassword", "tandem:postgresPassword"]);
            for (const [key, entry] of configSecrets) add(key, entry.value);
            assert.equal(secrets.get("tandem:mysqlPassword"), e2e.sandbox.mariadb.password);
            assert.equal(secrets.get("tandem:postgresPassword"), e2e.sandbox.postgres.password);
            for (const name of SECRET_STRINGS) assert.equal(config[`tandem:${name}`]?.value ?? "", "", `local sets no tandem:${name}`);

            // The state: the generated passwords, then every other credential kept as a secret.
            const exported = JSON.parse(await pulumiCli(["stack", "export", "--show-secrets", "--stack", prefix])) as {
                deployment: { resources: { type: string; urn: string; inputs?: Json; outputs?: Json }[] };
            };
            const generated = new Set<string>();
            for (const resource of exported.deployment.resources) {
                const name = resource.urn.split("::").pop()!;
                if (resource.type.endsWith(":GeneratedPassword")) {
                    const [[, value]] = stringLeaves((resource.outputs as { value: Json }).value, "value", false, false);
                    generated.add(value);
                    add(name, value);
                }
            }
            assert.equal(generated.size, 6, "six generated passwords: CDC, sync and monitor accounts on each side");
            const inState = new Set<string>();
            for (const resource of exported.deployment.resources) {
                const name = resource.urn.split("::").pop()!;
                for (const [side, value] of [
                    ["inputs", resource.inputs],
                    ["outputs", resource.outputs],
                ] as const) {
                    for (const [at, text] of stringLeaves(value ?? null, `${name} ${side}`, false, true)) {
                        if (!CREDENTIAL_PATH.test(at) || /sensitiveHashes/.test(at)) continue;
                        inState.add(text);
                        add(`${at} (state)`, text);
                    }
                }
            }
            // Secret stack outputs: the sink's writer and the monitor's accounts.
            const plainOutputs = JSON.parse(await pulumiCli(["stack", "output", "--json", "--stack", prefix])) as Record<string, Json>;
            const outputs = JSON.parse(await pulumiCli(["stack", "output", "--json", "--show-secrets", "--stack", prefix])) as Record<
                string,
                Json
            >;
            const secretOutputs = Object.keys(plainOutputs).filter((key) => plainOutputs[key] === "[secret]");
            assert.deepEqual(secretOutputs.sort(), ["healthMonitorAccess", "postgresSyncWriter"]);
            const outputPasswords = secretOutputs.flatMap((key) =>
                stringLeaves(outputs[key], key, false, false).filter(([at]) => /password/i.test(at)),
            );
            assert.equal(outputPasswords.length, 3, "the sync writer's password and the monitor's two");
            for (const [at, value] of outputPasswords) add(`output ${at}`, value);
            // The connectors' folders (<connectSecretsDir>/<connector>/<key>), served to the worker: a file per key of the
            // Connector's sensitiveConfig (secret), beside the files its config names by path (`files`: a CA, not secret).
            const files = connectors.flatMap((name) => {
                const resource = exported.deployment.resources.find(
                    (r) => r.type.endsWith(":Connector") && (r.inputs as { name?: string } | undefined)?.name === name,
                );
                assert.ok(resource, `the state holds the Connector ${name}`);
                const inputs = resource.inputs as { sensitiveConfig?: Json; files?: Record<string, string> };
                const revealed = inputs.sensitiveConfig ?? {};
                const sensitive = Object.keys((isRevealedSecret(revealed) ? JSON.parse(revealed.plaintext) : revealed) as object);
                const plain = Object.keys(inputs.files ?? {});
                const folder = path.join(e2e.sandbox.connectSecretsDir, name);
                assert.ok(fs.existsSync(folder), `${folder} exists`);
                const keys = fs.readdirSync(folder);
                for (const key of keys)
                    assert.ok(sensitive.includes(key) || plain.includes(key), `${name}/${key} is neither a sensitiveConfig key nor a file`);
                return keys
                    .filter((key) => sensitive.includes(key))
                    .map((key) => [`${name}/${key}`, fs.readFileSync(path.join(folder, key), "utf8")] as const);
            });
            assert.equal(files.length, 4, `one password file per connector: ${files.map(([at]) => at).join(", ")}`);
            for (const [at, value] of files) add(`file ${at}`, value);

            // What each place holds is what the state generated, and nothing else.
            for (const [at, value] of [...files, ...outputPasswords])
                assert.ok(generated.has(value), `${at} is one of the generated passwords`);
            for (const value of inState)
                assert.ok(generated.has(value) || value === e2e.sandbox.mariadb.password || value === e2e.sandbox.postgres.password);
            assert.equal(secrets.size, 8, `8 secrets: ${[...secrets.keys()].join(", ")}`);
            needles = needlesFor(secrets);
            report(`${secrets.size} secrets (${[...secrets.keys()].join(", ")}), ${needles.length} needles with their base64 forms`);
        });

        it("leaves none in Pulumi's state: stack export, outputs and config without --show-secrets, the backend's files", async () => {
            assert.equal(secrets.size, 8, "the inventory ran");
            const findings: Finding[] = [];
            const exported = await pulumiCli(["stack", "export", "--stack", prefix]);
            const resources = (JSON.parse(exported) as { deployment: { resources: unknown[] } }).deployment.resources;
            assert.ok(resources.length > 20, `the export holds the stack's resources: ${resources.length}`);
            assert.ok((exported.match(/"ciphertext"/g) ?? []).length >= 6, "the export holds its secrets encrypted");
            findings.push(...scanText("pulumi stack export", exported, needles));
            findings.push(
                ...scanText("pulumi stack output --json", await pulumiCli(["stack", "output", "--json", "--stack", prefix]), needles),
            );
            findings.push(...scanText("pulumi config --json", await pulumiCli(["config", "--json", "--stack", prefix]), needles));
            const stackFile = path.join(REPO_ROOT, `Pulumi.${prefix}.yaml`);
            findings.push(...scanFile(stackFile, stackFile, needles).findings);
            // The backend: the checkpoint, its .bak, the history and backups of this stack.
            const project = /^name:\s*(\S+)/m.exec(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8"))![1];
            const root = path.join(backendDir(), ".pulumi");
            const stateFiles = [
                ...filesUnder(path.join(root, "stacks", project)).filter((file) => path.basename(file).startsWith(`${prefix}.`)),
                ...filesUnder(path.join(root, "history", project, prefix)),
                ...filesUnder(path.join(root, "backups", project, prefix)),
            ];
            assert.ok(
                stateFiles.some((file) => file.endsWith(`${prefix}.json`) || file.endsWith(`${prefix}.json.gz`)),
                `the stack's checkpoint among ${stateFiles.length} backend files`,
            );
            for (const file of stateFiles) {
                const raw = fs.readFileSync(file);
                findings.push(...scanBuffer(file, file.endsWith(".gz") ? zlib.gunzipSync(raw) : raw, needles));
            }
            report(
                `Pulumi: export (${exported.length} B), outputs, config, ${path.basename(stackFile)}, ${stateFiles.length} backend files`,
            );
            assertNoFindings("Pulumi's state", findings);
        });

        it("leaves none in Connect: every record of its config, offsets and status topics, and its REST API", async () => {
            assert.equal(secrets.size, 8, "the inventory ran");
            // The worker is shared: records and connectors of others (other suites, ad-hoc connectors deployed with
            // `tandem connectors deploy`, which keeps their secrets in files too) are on it as well. No record of any of
            // them may hold a secret either: every finding fails, whoever wrote it (the admin passwords are the
            // sandbox's, in every connector file that connects as admin). On a sandbox whose topic still holds records
            // written before deploy kept secrets out, this fails until the sandbox is reset (CI starts a fresh one).
            const findings: Finding[] = [];
            const kafka = new Kafka({ clientId: "tandem-secrets-scan", brokers: [e2e.sandbox.kafkaBootstrap], logLevel: logLevel.NOTHING });
            const topics = connectInternalTopics();
            const configKeys = new Map<string, string>();
            for (const [kind, topic] of Object.entries(topics)) {
                let records = 0;
                await readTopic(kafka, topic, {
                    fromBeginning: true,
                    perPartition: 0,
                    onRecord: (record) => {
                        records++;
                        const key = record.key?.toString("utf8") ?? "";
                        const where = `topic ${topic} [${record.partition}] @${record.offset} key ${key.slice(0, 160)}`;
                        for (const part of [record.key, record.value, Buffer.from(JSON.stringify(record.headers))])
                            if (part) findings.push(...scanBuffer(where, part, needles));
                        if (kind === "config" && record.value) configKeys.set(key, record.value.toString("utf8"));
                    },
                });
                report(`Connect topic ${topic}: ${records} records`);
                assert.ok(records > 0, `${topic} has records`);
            }
            for (const name of connectors) {
                const record = configKeys.get(`connector-${name}`);
                assert.ok(record, `the config topic holds connector-${name}`);
                assert.match(record, /\$\{dir:[^}]+\}/, `connector-${name} refers to its password file`);
                assert.ok(
                    [...configKeys.keys()].some((key) => key.startsWith(`task-${name}-`)),
                    `the config topic holds the task configs of ${name}`,
                );
            }
            // The REST API: each connector's config, task configs and status (traces included), and the listing.
            for (const name of connectors) {
                const config = (await axios.get(`${connect()}/connectors/${name}/config`)).data as Record<string, string>;
                const passwords = Object.entries(config).filter(([key]) => key.endsWith(".password"));
                assert.ok(passwords.length >= 1, `${name} has a password key`);
                for (const [key, value] of passwords) assert.match(value, /^\$\{dir:[^}]+\}$/, `${name} ${key} is a reference`);
                findings.push(...scanText(`GET /connectors/${name}/config`, JSON.stringify(config), needles));
                for (const part of ["tasks", "status"]) {
                    const body = JSON.stringify((await axios.get(`${connect()}/connectors/${name}/${part}`)).data);
                    findings.push(...scanText(`GET /connectors/${name}/${part}`, body, needles));
                }
            }
            const listing = (await axios.get(`${connect()}/connectors?expand=info&expand=status`)).data as Record<string, unknown>;
            for (const name of connectors) assert.ok(listing[name], `the listing shows ${name}`);
            for (const [name, entry] of Object.entries(listing))
                findings.push(...scanText(`GET /connectors?expand=info&expand=status: ${name}`, JSON.stringify(entry), needles));
            assertNoFindings("Connect", findings);
        });

        it("leaves none in the logs: every file of the sandbox's logs folder (the monitor's included) and PostgreSQL's log", async () => {
            assert.equal(secrets.size, 8, "the inventory ran");
            const logsDir = path.join(stateDir(), "logs");
            const monitorLog = path.join(logsDir, `${prefix}-health-monitor.log`);
            assert.ok(fs.existsSync(monitorLog), `the monitor logs to ${monitorLog}`);
            assert.match(fs.readFileSync(monitorLog, "utf8"), new RegExp(`health monitor of ${prefix} on `));
            const files = [...filesUnder(logsDir), postgresLogFile()];
            // Evidence that the logs cover the stack: Connect's log names its connectors.
            const marker: Needle = { label: "marker", form: "plain", bytes: Buffer.from(`${prefix}-mysql-source`) };
            const findings: Finding[] = [];
            let bytes = 0;
            let marked = false;
            let scanned = 0;
            for (const file of files) {
                let result: { bytes: number; findings: Finding[] };
                try {
                    result = scanFile(file, file, [...needles, marker]);
                } catch (error) {
                    // A log rolled over while the scan ran (connect.log.3 removed): its content moved to the next name.
                    if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
                    throw error;
                }
                scanned++;
                bytes += result.bytes;
                if (path.basename(file).startsWith("connect.log") && result.findings.some((f) => f.label === "marker")) marked = true;
                findings.push(...result.findings.filter((f) => f.label !== "marker"));
            }
            report(`logs: ${scanned} files, ${(bytes / 1e6).toFixed(1)} MB`);
            assert.ok(scanned >= 5, `the sandbox's logs: ${files.join(", ")}`);
            assert.ok(marked, `Connect's log names ${prefix}-mysql-source`);
            assertNoFindings("the logs", findings);
        });

        it("leaves none on process command lines (ps), the monitor's among them", async () => {
            assert.equal(secrets.size, 8, "the inventory ran");
            const { execFileSync } = await import("node:child_process");
            const ps = execFileSync("ps", ["-ww", "-eo", "pid,args"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
            const pid = Number(fs.readFileSync(path.join(stateDir(), "run", `${prefix}-health-monitor.pid`), "utf8").trim());
            const line = ps.split("\n").find((l) => l.trim().startsWith(`${pid} `));
            assert.ok(line && /health-monitor/.test(line), `the monitor (pid ${pid}) is on the list: ${line}`);
            assert.ok(/ConnectDistributed/.test(ps), "the Connect worker is on the list");
            report(`ps: ${ps.split("\n").length} processes`);
            assertNoFindings("process command lines", scanText("ps -ww -eo pid,args", ps, needles));
        });

        it("leaves none in MariaDB's binlog: raw bytes of every file of the window, and its statements (accounts set by hash)", async () => {
            assert.equal(secrets.size, 8, "the inventory ran");
            const files = await binlogFilesSince(e2e.sandbox, binlogFrom.file);
            const accounts = [names.cdcUser, names.syncUser, names.monitorUser];
            const markers: Needle[] = accounts.map((user) => ({
                label: `account ${user}`,
                form: "plain",
                bytes: Buffer.from(`'${user}'@`),
            }));
            const findings: Finding[] = [];
            const seen = new Set<string>();
            let bytes = 0;
            for (const file of files) {
                const result = scanFile(`binlog ${path.basename(file)}`, file, [...needles, ...markers]);
                bytes += result.bytes;
                for (const finding of result.findings) {
                    if (finding.label.startsWith("account ")) seen.add(finding.label);
                    else findings.push(finding);
                }
            }
            report(`binlog: ${files.length} files from ${binlogFrom.file}, ${(bytes / 1e6).toFixed(1)} MB`);
            assert.deepEqual([...seen].sort(), markers.map((m) => m.label).sort(), "the window holds the stack's account statements");
            // The statements as MariaDB decodes them, from where the suite began: accounts get native hashes only.
            const events = await mysqlQuery<{ Log_name: string; Info: string }>(
                e2e.sandbox,
                `SHOW BINLOG EVENTS IN '${binlogFrom.file}' FROM ${binlogFrom.position}`,
            );
            for (const file of files.slice(1))
                events.push(
                    ...(await mysqlQuery<{ Log_name: string; Info: string }>(
                        e2e.sandbox,
                        `SHOW BINLOG EVENTS IN '${path.basename(file)}'`,
                    )),
                );
            const statements = events.filter(
                ({ Info }) => /IDENTIFIED BY/i.test(Info) && accounts.some((user) => Info.includes(`'${user}'`)),
            );
            assert.ok(statements.length >= accounts.length, `the stack's accounts are set in the binlog: ${statements.length}`);
            for (const { Info } of statements) assert.match(Info, /IDENTIFIED BY PASSWORD '\*[0-9A-F]{40}'/);
            findings.push(...scanText("SHOW BINLOG EVENTS", events.map(({ Info }) => Info).join("\n"), needles));
            assertNoFindings("MariaDB's binlog", findings);
        });

        it("leaves none in PostgreSQL's log (DDL logged), WAL of the window, or statements it keeps", async () => {
            assert.equal(secrets.size, 8, "the inventory ran");
            const [{ log_statement: logged }] = await postgresQuery<{ log_statement: string }>(e2e.sandbox, "SHOW log_statement");
            assert.equal(logged, "ddl", "the sandbox's PostgreSQL runs with log_statement = ddl (sandbox/sandbox.sh restart postgres)");
            const findings: Finding[] = [];
            // The log: the stack's role statements are in it, with SCRAM verifiers.
            const logFile = postgresLogFile();
            findings.push(...scanFile("PostgreSQL log", logFile, needles).findings);
            const roles = [names.cdcUser, names.syncUser, names.monitorUser];
            const roleStatements = fs
                .readFileSync(logFile, "utf8")
                .split("\n")
                .filter((line) => /(CREATE|ALTER) ROLE .* PASSWORD /.test(line) && roles.some((role) => line.includes(role)));
            assert.ok(
                roleStatements.length >= roles.length,
                `the stack's role statements are in PostgreSQL's log: ${roleStatements.length}`,
            );
            for (const statement of roleStatements) assert.match(statement, /PASSWORD 'SCRAM-SHA-256\$4096:[^']+'/);
            // The WAL: the catalog rows of the roles (names and verifiers) went through it.
            const segments = await walSegmentsSince(e2e.sandbox, walFrom);
            assert.ok(segments.length >= 1, `WAL segments from ${walFrom}`);
            const markers: Needle[] = [
                { label: "marker role", form: "plain", bytes: Buffer.from(names.cdcUser) },
                { label: "marker verifier", form: "plain", bytes: Buffer.from("SCRAM-SHA-256$4096:") },
            ];
            const seen = new Set<string>();
            let bytes = 0;
            for (const segment of segments) {
                let result: { bytes: number; findings: Finding[] };
                try {
                    result = scanFile(`WAL ${path.basename(segment)}`, segment, [...needles, ...markers]);
                } catch (error) {
                    if ((error as NodeJS.ErrnoException).code === "ENOENT") continue; // recycled meanwhile
                    throw error;
                }
                bytes += result.bytes;
                for (const finding of result.findings) {
                    if (finding.label.startsWith("marker ")) seen.add(finding.label);
                    else findings.push(finding);
                }
            }
            report(
                `PostgreSQL: log ${(fs.statSync(logFile).size / 1e6).toFixed(1)} MB, WAL ${segments.length} segments ${(bytes / 1e6).toFixed(1)} MB`,
            );
            assert.deepEqual([...seen].sort(), ["marker role", "marker verifier"], "the WAL of the window holds the stack's roles");
            // Statements it keeps: pg_stat_statements when installed, and what runs now (both databases).
            const [{ installed }] = await postgresQuery<{ installed: boolean }>(
                e2e.sandbox,
                "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements') AS installed",
            );
            if (installed) {
                const kept = await postgresQuery<{ query: string }>(e2e.sandbox, "SELECT query FROM pg_stat_statements");
                findings.push(...scanText("pg_stat_statements", kept.map(({ query }) => query).join("\n"), needles));
            }
            const activity = await postgresQuery<{ query: string | null }>(e2e.sandbox, "SELECT query FROM pg_stat_activity");
            findings.push(...scanText("pg_stat_activity", activity.map(({ query }) => query ?? "").join("\n"), needles));
            const processes = await mysqlQuery<{ info: string | null }>(
                e2e.sandbox,
                "SELECT INFO AS info FROM information_schema.PROCESSLIST",
            );
            findings.push(...scanText("MariaDB PROCESSLIST", processes.map(({ info }) => info ?? "").join("\n"), needles));
            report(`pg_stat_statements ${installed ? "scanned" : "not installed"}; pg_stat_activity and PROCESSLIST scanned`);
            assertNoFindings("PostgreSQL", findings);
        });
    },
);
