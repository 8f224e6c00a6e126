import * as assert from "node:assert/strict";
import {
    changedConfigKeys,
    checkConnectorInputs,
    ConnectorInputs,
    ConnectorOutputs,
    desiredStateOf,
    diffConnector,
    hashSensitive,
    hashSensitiveConfig,
    normalizeConfig,
    progressTowards,
    renderConfig,
    secretReference,
    traceHead,
    validationConfig,
    validationFailures,
} from "../../connectors/connectorModel";

const base: ConnectorInputs = {
    connectUrl: "http://127.0.0.1:18083",
    name: "tandem-mysql-source",
    connectorClass: "io.debezium.connector.mariadb.MariaDbConnector",
    config: { "tasks.max": "1", "database.hostname": "db" },
    sensitiveConfig: { "database.password": "s3cret" },
    secretsDir: "/var/lib/connect/secrets",
};

function recorded(inputs: ConnectorInputs, salt = "salt"): ConnectorOutputs {
    const { sensitiveConfig, ...rest } = inputs;
    return {
        ...rest,
        sensitiveHashes: hashSensitiveConfig(salt, sensitiveConfig ?? {}),
        sensitiveSalt: salt,
        connectorState: "RUNNING",
        tasks: [{ id: 0, state: "RUNNING", workerId: "w" }],
        workerId: "w",
        connectorType: "source",
        topics: [],
    };
}

describe("connectorModel", () => {
    describe("checkConnectorInputs", () => {
        it("accepts well-formed inputs", () => {
            assert.deepEqual(checkConnectorInputs(base), []);
        });

        it("names every faulty property", () => {
            const failures = checkConnectorInputs({
                connectUrl: "ftp://x",
                name: "bad name!",
                connectorClass: "NoPackage",
                config: { name: "other", "connector.class": "x.Y", "tandem.owner": "p/s" },
                sensitiveConfig: { "a/b": "x" },
                secretsDir: "relative",
                state: "sleeping" as never,
                timeoutSeconds: 0,
            });
            assert.deepEqual(
                failures.map((failure) => failure.property),
                [
                    "connectUrl",
                    "name",
                    "connectorClass",
                    'config["name"]',
                    'config["connector.class"]',
                    'config["tandem.owner"]',
                    'sensitiveConfig["a/b"]',
                    "secretsDir",
                    "state",
                    "timeoutSeconds",
                ],
            );
        });

        it("rejects a key given both as config and as sensitive config", () => {
            const failures = checkConnectorInputs({ ...base, config: { ...base.config, "database.password": "plain" } });
            assert.deepEqual(
                failures.map((failure) => failure.property),
                ['sensitiveConfig["database.password"]'],
            );
        });

        it("rejects half-given basic auth", () => {
            assert.deepEqual(
                checkConnectorInputs({ ...base, auth: { username: "u", password: "" } }).map((f) => f.property),
                ["auth"],
            );
        });
    });

    describe("renderConfig", () => {
        it("puts a dir config-provider reference, never the secret value, into the config", () => {
            const rendered = renderConfig(base);
            assert.equal(rendered["database.password"], "${dir:/var/lib/connect/secrets/tandem-mysql-source:database.password}");
            assert.ok(!JSON.stringify(rendered).includes("s3cret"));
            assert.equal(rendered["name"], "tandem-mysql-source");
            assert.equal(rendered["connector.class"], base.connectorClass);
        });

        it("references a Kubernetes Secret through the workers' `secrets` provider instead of a folder (prod)", () => {
            const { secretsDir: _unused, ...withoutDir } = base;
            const inKubernetes = { ...withoutDir, kubernetesSecret: "tandem/tandem-mysql-source-secrets" };
            assert.deepEqual(checkConnectorInputs(inKubernetes), []);
            assert.equal(
                renderConfig(inKubernetes)["database.password"],
                "${secrets:tandem/tandem-mysql-source-secrets:database.password}",
            );
            assert.deepEqual(
                checkConnectorInputs({ ...base, kubernetesSecret: "tandem/x" }).map((f) => f.property),
                ["kubernetesSecret"],
            );
            assert.match(
                checkConnectorInputs({ ...inKubernetes, kubernetesSecret: "no-namespace" })[0].reason,
                /must be <namespace>\/<secret name>/,
            );
            assert.deepEqual(diffConnector(recorded(base), inKubernetes).changed, ["secretsDir", "kubernetesSecret"]);
        });

        it("stringifies values and sorts keys", () => {
            const rendered = renderConfig({ ...base, sensitiveConfig: {}, config: { b: 2 as unknown as string, a: "x" } });
            assert.deepEqual(Object.keys(rendered), ["a", "b", "connector.class", "name"]);
            assert.equal(rendered["b"], "2");
        });

        it("marks the stack that deploys it, a key the connector ignores", () => {
            assert.equal(renderConfig({ ...base, owner: "tandem/prod" })["tandem.owner"], "tandem/prod");
            assert.equal("tandem.owner" in renderConfig(base), false);
        });

        it("validationConfig carries the sensitive values themselves (validation is not stored)", () => {
            assert.equal(validationConfig(base)["database.password"], "s3cret");
        });

        it("builds references from the secrets folder without doubled slashes", () => {
            assert.equal(secretReference("/s/", "c", "k"), "${dir:/s/c:k}");
        });
    });

    describe("normalizeConfig / changedConfigKeys", () => {
        it("ignores the server-added name, class and owner keys and value types", () => {
            const server = { name: "tandem-mysql-source", "connector.class": "X", "tandem.owner": "tandem/local", "tasks.max": "1" };
            assert.deepEqual(normalizeConfig(server), normalizeConfig({ "tasks.max": 1 }));
            assert.deepEqual(changedConfigKeys(server, { "tasks.max": 1 }), []);
        });

        it("lists added, removed and changed keys", () => {
            assert.deepEqual(changedConfigKeys({ a: "1", b: "2" }, { b: "3", c: "4" }), ["a", "b", "c"]);
        });
    });

    describe("hashSensitive", () => {
        it("depends on salt, key and value, and hides the value", () => {
            const hash = hashSensitive("salt", "k", "v");
            assert.match(hash, /^[0-9a-f]{64}$/);
            assert.notEqual(hash, hashSensitive("other", "k", "v"));
            assert.notEqual(hash, hashSensitive("salt", "k2", "v"));
            assert.notEqual(hash, hashSensitive("salt", "k", "v2"));
            assert.equal(hash, hashSensitive("salt", "k", "v"));
        });
    });

    describe("diffConnector", () => {
        it("reports no change for the recorded inputs", () => {
            assert.deepEqual(diffConnector(recorded(base), { ...base }), { changes: false, replaces: [], changed: [] });
        });

        it("updates in place on a config change", () => {
            const diff = diffConnector(recorded(base), { ...base, config: { ...base.config, "tasks.max": "2" } });
            assert.deepEqual(diff, { changes: true, replaces: [], changed: ['config["tasks.max"]'] });
        });

        it("records a switch of resetOffsetsOnDelete (the teardown decides it), without a diff for stacks that never set it", () => {
            assert.deepEqual(diffConnector(recorded(base), { ...base, resetOffsetsOnDelete: true }).changed, ["resetOffsetsOnDelete"]);
            assert.equal(diffConnector(recorded(base), { ...base, resetOffsetsOnDelete: false }).changes, false);
        });

        it("replaces on a rename or a class change; moves (an update) to another cluster", () => {
            assert.deepEqual(diffConnector(recorded(base), { ...base, name: "renamed" }).replaces, ["name"]);
            assert.deepEqual(
                diffConnector(recorded(base), { ...base, connectorClass: "io.debezium.connector.mysql.MySqlConnector" }).replaces,
                ["connectorClass"],
            );
            const move = diffConnector(recorded(base), { ...base, connectUrl: "http://other:8083" });
            assert.deepEqual(move, { changes: true, replaces: [], changed: ["connectUrl"] });
        });

        it("does not compare the resume facts (they move on by themselves)", () => {
            const withFacts = { ...base, resumeCheck: { kind: "postgres-slot" as const, slot: "s", exists: true, restartLsn: "0/10" } };
            const later = { ...base, resumeCheck: { kind: "postgres-slot" as const, slot: "s", exists: true, restartLsn: "0/20" } };
            assert.equal(diffConnector(recorded(withFacts), later).changes, false);
        });

        it("does not compare the owner (a renamed stack keeps its connectors as they are)", () => {
            assert.equal(diffConnector(recorded({ ...base, owner: "tandem/old" }), { ...base, owner: "tandem/new" }).changes, false);
        });

        it("sees a changed secret through its salted hash, without the value in the state", () => {
            const old = recorded(base);
            assert.ok(!JSON.stringify(old).includes("s3cret"));
            const diff = diffConnector(old, { ...base, sensitiveConfig: { "database.password": "rotated" } });
            assert.deepEqual(diff.changed, ['sensitiveConfig["database.password"]']);
        });

        it("updates on a desired-state change, running being the default", () => {
            assert.deepEqual(diffConnector(recorded(base), { ...base, state: "paused" }).changed, ["state"]);
            assert.equal(diffConnector(recorded({ ...base, state: "running" }), base).changes, false);
        });
    });

    describe("progressTowards", () => {
        const status = (connector: string, ...tasks: string[]) => ({
            connector: { state: connector, worker_id: "w" },
            tasks: tasks.map((state, id) => ({
                id,
                state,
                worker_id: "w",
                trace: state === "FAILED" ? "java.sql.SQLException: Access denied\n\tat x.y(z)" : undefined,
            })),
        });

        it("running needs the connector and at least one task RUNNING", () => {
            assert.equal(progressTowards("running", status("RUNNING", "RUNNING")).kind, "reached");
            assert.equal(progressTowards(undefined, status("RUNNING")).kind, "pending");
            assert.equal(progressTowards("running", status("RUNNING", "UNASSIGNED")).kind, "pending");
        });

        it("paused needs everything PAUSED; stopped needs no tasks", () => {
            assert.equal(progressTowards("paused", status("PAUSED", "PAUSED")).kind, "reached");
            assert.equal(progressTowards("paused", status("PAUSED", "RUNNING")).kind, "pending");
            assert.equal(progressTowards("stopped", status("STOPPED")).kind, "reached");
            assert.equal(progressTowards("stopped", status("STOPPED", "RUNNING")).kind, "pending");
        });

        it("fails with the task's trace head", () => {
            const progress = progressTowards("running", status("RUNNING", "RUNNING", "FAILED"));
            assert.deepEqual(progress, { kind: "failed", message: "task 1 FAILED on w:\njava.sql.SQLException: Access denied" });
        });
    });

    it("desiredStateOf maps Connect states back, FAILED to none", () => {
        assert.equal(desiredStateOf("PAUSED"), "paused");
        assert.equal(desiredStateOf("STOPPED"), "stopped");
        assert.equal(desiredStateOf("FAILED"), undefined);
    });

    it("traceHead keeps the message lines of a Java trace, not the frames", () => {
        const trace = [
            "org.apache.kafka.connect.errors.ConnectException: Access denied for user 'x'",
            "\tat io.debezium.Foo.bar(Foo.java:1)",
            "Caused by: java.sql.SQLException: Access denied",
            "\tat com.mysql.Baz(Baz.java:2)",
            "\t... 12 more",
        ].join("\n");
        assert.equal(
            traceHead(trace),
            "org.apache.kafka.connect.errors.ConnectException: Access denied for user 'x'\nCaused by: java.sql.SQLException: Access denied",
        );
        assert.equal(traceHead(undefined), "(no trace reported)");
    });

    it("validationFailures names the input property and key of each error", () => {
        const answer = {
            error_count: 3,
            configs: [
                {
                    definition: { name: "database.port" },
                    value: { name: "database.port", errors: ["Invalid value x for configuration database.port: Not a number of type INT"] },
                },
                { definition: { name: "database.password" }, value: { name: "database.password", errors: ["Access denied"] } },
                {
                    definition: { name: "topic.prefix" },
                    value: { name: "topic.prefix", errors: ['Missing required configuration "topic.prefix" which has no default value.'] },
                },
                { definition: { name: "tasks.max" }, value: { name: "tasks.max", errors: [] } },
            ],
        };
        assert.deepEqual(
            validationFailures(answer, base).map((failure) => failure.property),
            ['config["database.port"]', 'sensitiveConfig["database.password"]', 'config["topic.prefix"]'],
        );
        assert.match(validationFailures(answer, base)[2].reason, /^config\["topic.prefix"\]: Missing required configuration/);
    });
});
