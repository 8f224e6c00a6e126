import * as assert from "node:assert/strict";
import { mysqlAccountGrants, mysqlTableGrants, mysqlTableRevokes } from "../../sql/mysqlAccounts";

describe("MySQL/MariaDB account builders", () => {
    it("grants the reader what Debezium needs and the writer only the synced and tombstone tables", () => {
        const accounts = { database: "app", cdcUser: "c", syncUser: "s", signalTable: "t_signal", host: "%" };
        assert.deepEqual(mysqlAccountGrants(accounts), [
            "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'c'@'%'",
            "GRANT INSERT, UPDATE, DELETE ON `app`.`t_signal` TO 'c'@'%'",
        ]);
        assert.deepEqual(mysqlTableGrants(accounts, "orders"), [
            "GRANT SELECT, INSERT, UPDATE, DELETE, ALTER ON `app`.`orders` TO 's'@'%'",
            "GRANT SELECT, INSERT, UPDATE, DELETE, ALTER ON `app`.`_tandem_del__orders` TO 's'@'%'",
        ]);
        assert.deepEqual(mysqlTableRevokes(accounts, "orders")[0], "/* tandem:tolerate 1141,1147 */ REVOKE ALL PRIVILEGES ON `app`.`orders` FROM 's'@'%'");
    });
});
