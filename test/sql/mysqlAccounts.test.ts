import * as assert from "node:assert/strict";
import { mysqlAccountGrants, mysqlAccounts, mysqlAccountsTeardown, mysqlTableGrants, mysqlTableRevokes } from "../../sql/mysqlAccounts";

const accounts = { database: "app", cdcUser: "c", syncUser: "s", signalTable: "t_signal", host: "%" };
const secretsUsed = (statements: string[]) => [
    ...new Set(statements.flatMap((s) => [...s.matchAll(/\{\{secret:([^}:]*)(?::[^}]*)?\}\}/g)].map((m) => m[1]))),
];

describe("MySQL/MariaDB account builders", () => {
    it("creates both accounts, sets their passwords on every run, then grants the reader", () => {
        assert.deepEqual(mysqlAccounts(accounts), [
            "CREATE USER IF NOT EXISTS 'c'@'%' IDENTIFIED BY PASSWORD {{secret:cdc:mysql-native-hash}}",
            "ALTER USER 'c'@'%' IDENTIFIED BY PASSWORD {{secret:cdc:mysql-native-hash}}",
            "CREATE USER IF NOT EXISTS 's'@'%' IDENTIFIED BY PASSWORD {{secret:sync:mysql-native-hash}}",
            "ALTER USER 's'@'%' IDENTIFIED BY PASSWORD {{secret:sync:mysql-native-hash}}",
            ...mysqlAccountGrants(accounts),
        ]);
    });

    it("leaves passwords to the cdc and sync secrets bound at run time, and drops both accounts on teardown", () => {
        assert.deepEqual(secretsUsed(mysqlAccounts(accounts)), ["cdc", "sync"]);
        assert.deepEqual(mysqlAccountsTeardown(accounts), ["DROP USER IF EXISTS 'c'@'%'", "DROP USER IF EXISTS 's'@'%'"]);
        assert.deepEqual(secretsUsed(mysqlAccountsTeardown(accounts)), []);
    });

    it("writes user and host as string literals and the database as an identifier, whatever they hold", () => {
        const odd = { database: "app-db$1`x", cdcUser: "o'c", syncUser: "s\\y", signalTable: "t_signal", host: "10.0.%'h" };
        const apply = mysqlAccounts(odd);
        assert.equal(apply[0], "CREATE USER IF NOT EXISTS 'o''c'@'10.0.%''h' IDENTIFIED BY PASSWORD {{secret:cdc:mysql-native-hash}}");
        assert.equal(apply[3], "ALTER USER 's\\\\y'@'10.0.%''h' IDENTIFIED BY PASSWORD {{secret:sync:mysql-native-hash}}");
        assert.equal(apply[10], "GRANT INSERT, UPDATE, DELETE ON `app-db$1``x`.`t_signal` TO 'o''c'@'10.0.%''h'");
        assert.deepEqual(mysqlAccountsTeardown(odd), [
            "DROP USER IF EXISTS 'o''c'@'10.0.%''h'",
            "DROP USER IF EXISTS 's\\\\y'@'10.0.%''h'",
        ]);
    });

    it("grants the reader what Debezium needs and the writer only the synced and tombstone tables, taking away what leftover accounts held", () => {
        assert.deepEqual(mysqlAccountGrants(accounts), [
            "REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'c'@'%'",
            "REVOKE ALL PRIVILEGES ON *.* FROM 's'@'%'",
            "REVOKE GRANT OPTION ON *.* FROM 's'@'%'",
            "/* tandem:tolerate 1141 */ REVOKE ALL PRIVILEGES ON `app`.* FROM 's'@'%'",
            "GRANT RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'c'@'%'",
            "GRANT SELECT ON `app`.* TO 'c'@'%'",
            "GRANT INSERT, UPDATE, DELETE ON `app`.`t_signal` TO 'c'@'%'",
        ]);
        assert.deepEqual(mysqlTableGrants(accounts, "orders"), [
            "GRANT SELECT, INSERT, UPDATE, DELETE ON `app`.`orders` TO 's'@'%'",
            "/* tandem:tolerate 1141,1147 */ REVOKE ALTER ON `app`.`orders` FROM 's'@'%'",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON `app`.`_tandem_del__orders` TO 's'@'%'",
            "/* tandem:tolerate 1141,1147 */ REVOKE ALTER ON `app`.`_tandem_del__orders` FROM 's'@'%'",
        ]);
        assert.deepEqual(
            mysqlTableRevokes(accounts, "orders")[0],
            "/* tandem:tolerate 1141,1147 */ REVOKE ALL PRIVILEGES ON `app`.`orders` FROM 's'@'%'",
        );
    });
});
