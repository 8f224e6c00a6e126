import * as assert from "node:assert/strict";
import { MONITOR_ENV, monitorEnvironment, MonitorSettings, parseMonitorSettings } from "../../core/monitorSettings";

const settings: MonitorSettings = {
    prefix: "tandem",
    listen: { host: "127.0.0.1", port: 8084 },
    mysql: { flavor: "mariadb", host: "db", port: 3306, database: "app", user: "tandem_monitor" },
    postgres: { host: "pg", port: 5432, database: "app", schema: "public", user: "tandem_monitor" },
    kafka: { bootstrapServers: "k:9092", security: "plaintext" },
    connect: { url: "http://connect:8083" },
    intervalSeconds: 2,
    delayObjectiveSeconds: 5,
    probeTimeoutSeconds: 5,
    watchdog: { enabled: true, maxAttempts: 6, initialBackoffSeconds: 5, maxBackoffSeconds: 300, stableAfterSeconds: 60 },
};

describe("core/monitorSettings", () => {
    it("round-trips through the environment, passwords in variables of their own", () => {
        const env: Record<string, string> = {
            ...monitorEnvironment(settings),
            [MONITOR_ENV.mysqlPassword]: "m",
            [MONITOR_ENV.postgresPassword]: "p",
        };
        assert.doesNotMatch(env[MONITOR_ENV.settings], /"m"|"p"/);
        assert.deepEqual(parseMonitorSettings(env), { settings, secrets: { mysqlPassword: "m", postgresPassword: "p" } });
    });

    it("names every problem at once", () => {
        const broken = {
            ...settings,
            prefix: "",
            mysql: { ...settings.mysql, flavor: "oracle" },
            connect: { url: "x", username: "admin" },
        };
        assert.throws(
            () => parseMonitorSettings({ [MONITOR_ENV.settings]: JSON.stringify(broken) }),
            (error: Error) => {
                assert.equal(
                    error.message,
                    [
                        "invalid health monitor settings:",
                        "settings.prefix: must be a non-empty string",
                        "mysql.flavor: must be one of mariadb, mysql",
                        `${MONITOR_ENV.mysqlPassword}: not set`,
                        `${MONITOR_ENV.postgresPassword}: not set`,
                        `${MONITOR_ENV.connectPassword}: not set (connect.username is)`,
                    ].join("\n  - "),
                );
                return true;
            },
        );
        assert.throws(() => parseMonitorSettings({}), /TANDEM_MONITOR_SETTINGS: must be the monitor's settings as JSON/);
    });
});
