import * as assert from "node:assert/strict";
import {
    changedConfigKeys,
    checkConnectorInputs,
    ConnectorInputs,
    diffConnector,
    inputsOf,
    normalizeConfig,
    renderConfig,
    secretReference,
} from "../../connectors/connectorModel";

const base: ConnectorInputs = {
    connectUrl: "http://127.0.0.1:18083",
    name: "tandem-mysql-source",
    config: { "connector.class": "io.debezium.connector.mariadb.MariaDbConnector", "tasks.max": "1" },
    secrets: { "database.password": "s3cret" },
    secretsDir: "/var/lib/connect/secrets",
};

describe("connectorModel", () => {
    describe("checkConnectorInputs", () => {
        it("accepts well-formed inputs", () => {
            assert.deepEqual(checkConnectorInputs(base), []);
        });

        it("names every faulty property", () => {
            const failures = checkConnectorInputs({
                connectUrl: "ftp://x",
                name: "bad name!",
                config: { name: "other" },
                secrets: { "a/b": "x" },
                secretsDir: "relative",
                timeoutSeconds: 0,
            });
            assert.deepEqual(
                failures.map((failure) => failure.property).sort(),
                ["config", "config", "connectUrl", "name", "secrets", "secretsDir", "timeoutSeconds"],
            );
            assert.match(failures.find((f) => f.property === "config")!.reason, /connector\.class/);
        });

        it("rejects a key given both as config and as secret", () => {
            const failures = checkConnectorInputs({ ...base, config: { ...base.config, "database.password": "plain" } });
            assert.deepEqual(failures, [{ property: "secrets", reason: "'database.password' is set both in config and in secrets" }]);
        });
    });

    describe("renderConfig", () => {
        it("puts a dir config-provider reference, never the secret value, into the config", () => {
            const rendered = renderConfig(base);
            assert.equal(rendered["database.password"], "${dir:/var/lib/connect/secrets/tandem-mysql-source:database.password}");
            assert.ok(!JSON.stringify(rendered).includes("s3cret"));
            assert.equal(rendered["name"], "tandem-mysql-source");
        });

        it("stringifies values and sorts keys", () => {
            const rendered = renderConfig({ ...base, secrets: {}, config: { b: 2 as unknown as string, a: "x", "connector.class": "C" } });
            assert.deepEqual(Object.keys(rendered), ["a", "b", "connector.class", "name"]);
            assert.equal(rendered["b"], "2");
        });

        it("builds references from the secrets folder without doubled slashes", () => {
            assert.equal(secretReference("/s/", "c", "k"), "${dir:/s/c:k}");
        });
    });

    describe("normalizeConfig / changedConfigKeys", () => {
        it("ignores the server-added name key and value types", () => {
            const server = { name: "tandem-mysql-source", "tasks.max": "1", "connector.class": "X" };
            const declared = { "tasks.max": 1, "connector.class": "X" };
            assert.deepEqual(normalizeConfig(server), normalizeConfig(declared));
            assert.deepEqual(changedConfigKeys(server, declared), []);
        });

        it("lists added, removed and changed keys", () => {
            assert.deepEqual(changedConfigKeys({ a: "1", b: "2" }, { b: "3", c: "4" }), ["a", "b", "c"]);
        });
    });

    describe("diffConnector", () => {
        it("reports no change for equal inputs", () => {
            assert.deepEqual(diffConnector(base, { ...base }), { changes: false, replaces: [], changedKeys: [] });
        });

        it("updates in place on a config change", () => {
            const diff = diffConnector(base, { ...base, config: { ...base.config, "tasks.max": "2" } });
            assert.deepEqual(diff, { changes: true, replaces: [], changedKeys: ["tasks.max"] });
        });

        it("replaces on a rename or a class change", () => {
            assert.deepEqual(diffConnector(base, { ...base, name: "renamed" }).replaces, ["name"]);
            const reclassed = { ...base, config: { ...base.config, "connector.class": "io.debezium.connector.mysql.MySqlConnector" } };
            assert.deepEqual(diffConnector(base, reclassed).replaces, ["config"]);
        });

        it("sees a changed secret without showing its value", () => {
            const diff = diffConnector(base, { ...base, secrets: { "database.password": "rotated" } });
            assert.deepEqual(diff.changedKeys, ["secrets.database.password"]);
            assert.ok(!JSON.stringify(diff).includes("rotated"));
        });
    });

    it("inputsOf keeps only input fields", () => {
        const outputs = { ...base, state: "RUNNING", workerId: "w", tasks: [], connectorType: "source" };
        assert.deepEqual(inputsOf(outputs), base);
    });
});
