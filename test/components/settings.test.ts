import * as assert from "node:assert/strict";
import { defaultLocalSecretsDir, RawSettings, validateSettings } from "../../components/settings";

const valid: RawSettings = {
    environment: "local",
    connectUrl: "http://127.0.0.1:18083",
    kafkaBootstrapServers: "127.0.0.1:19092",
    connectSecretsDir: "/tmp/secrets",
    topicPrefix: "tandem",
    mysqlFlavor: "mariadb",
    mysqlHost: "127.0.0.1",
    mysqlPort: "13306",
    mysqlDatabase: "app",
    mysqlUser: "tandem_admin",
    mysqlServerId: "184054",
    postgresHost: "127.0.0.1",
    postgresPort: 15432,
    postgresDatabase: "app",
    postgresSchema: "public",
    postgresUser: "tandem_admin",
    tables: '["demo_items"]',
    conflictPolicy: "last-writer-wins",
    tieWinner: "postgres",
    initialLoad: "snapshot",
};

describe("settings", () => {
    it("accepts a valid local config and types its values", () => {
        const settings = validateSettings(valid);
        assert.equal(settings.mysql.port, 13306);
        assert.equal(settings.mysql.serverId, 184054);
        assert.deepEqual(settings.tables, ["demo_items"]);
        assert.equal(settings.environment, "local");
    });

    it("accepts tables given as an array", () => {
        assert.deepEqual(validateSettings({ ...valid, tables: ["a", "b"] }).tables, ["a", "b"]);
    });

    it("names every invalid key in one error", () => {
        assert.throws(
            () =>
                validateSettings({
                    ...valid,
                    environment: "staging",
                    connectUrl: "not a url",
                    mysqlPort: "70000",
                    mysqlFlavor: "oracle",
                    postgresUser: "",
                    tables: '"not a list"',
                }),
            (error: Error) => {
                for (const key of ["environment", "connectUrl", "mysqlPort", "mysqlFlavor", "postgresUser", "tables"]) {
                    assert.match(error.message, new RegExp(`tandem:${key} `));
                }
                assert.doesNotMatch(error.message, /tandem:mysqlHost/);
                return true;
            },
        );
    });

    it("rejects duplicate and malformed table names", () => {
        assert.throws(() => validateSettings({ ...valid, tables: ["a", "a"] }), /tandem:tables lists an entry twice/);
        assert.throws(() => validateSettings({ ...valid, tables: ["drop table x"] }), /tandem:tables has an invalid entry/);
    });

    it("selects tables by a list or by patterns, not both, and checks the policy", () => {
        assert.deepEqual(validateSettings({ ...valid, tables: "[]", tableInclude: '["order_*"]' }).tableInclude, ["order_*"]);
        assert.throws(() => validateSettings({ ...valid, tables: "[]" }), /tandem:tables or tandem:tableInclude must select at least one table/);
        assert.throws(() => validateSettings({ ...valid, tableInclude: '["x*"]' }), /exclude each other/);
        assert.throws(() => validateSettings({ ...valid, conflictPolicy: "newest" }), /tandem:conflictPolicy must be one of last-writer-wins, mysql-wins, postgres-wins/);
        assert.throws(() => validateSettings({ ...valid, tieWinner: "oracle" }), /tandem:tieWinner must be one of mysql, postgres/);
    });

    it("requires an absolute secrets folder", () => {
        assert.throws(() => validateSettings({ ...valid, connectSecretsDir: "secrets" }), /tandem:connectSecretsDir must be an absolute folder/);
    });
});

describe("defaultLocalSecretsDir", () => {
    it("points at the sandbox's secrets folder in the project, or under TANDEM_STATE_DIR", () => {
        assert.equal(defaultLocalSecretsDir({}, "/repo"), "/repo/.sandbox/connect-secrets");
        assert.equal(defaultLocalSecretsDir({ TANDEM_STATE_DIR: "/var/state" }, "/repo"), "/var/state/connect-secrets");
    });
});
