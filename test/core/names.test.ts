import * as assert from "node:assert/strict";
import { syncNames } from "../../core/model";
import {
    debeziumExactName,
    debeziumQuotedId,
    fitIdentifier,
    likePatternMatches,
    postgresTableFunction,
    tombstoneOverrides,
    tombstoneTable,
} from "../../core/names";
import { kafkaCollisionKey, kafkaTopicName } from "../../core/topics";

describe("names derived from table names", () => {
    it("fit both engines (63 bytes, 64 characters) and never collide", () => {
        const long = "x".repeat(60);
        const multibyte = "é".repeat(40); // 80 bytes
        for (const name of [tombstoneTable(long), tombstoneTable(multibyte), postgresTableFunction("tandem", "apply_delete", long)]) {
            assert.ok(Buffer.byteLength(name) <= 63, `${name} is ${Buffer.byteLength(name)} bytes`);
        }
        assert.notEqual(tombstoneTable(`${long}a`), tombstoneTable(`${long}b`), "same start, different names");
        assert.equal(tombstoneTable("orders"), "_tandem_del__orders");
        assert.equal(fitIdentifier("short"), "short");
        assert.match(tombstoneTable(multibyte), /^_tandem_del__(é)+_[0-9a-f]{10}$/u, "cut on a character boundary");
        assert.deepEqual(tombstoneOverrides(["orders", long]), { [long]: tombstoneTable(long) });
    });

    it("keep account names within MySQL 8's 32 characters", () => {
        const names = syncNames("a-very-long-pipeline-prefix-for-production");
        assert.ok(names.syncUser.length <= 32 && names.cdcUser.length <= 32);
        assert.notEqual(names.syncUser, names.cdcUser);
        assert.deepEqual(syncNames("tandem").syncUser, "tandem_sync");
    });

    it("name topics as Debezium does, and see Kafka's '.'/'_' collisions", () => {
        assert.equal(kafkaTopicName("p.mysql-to-postgres.app.café items"), "p.mysql-to-postgres.app.caf__items");
        assert.equal(kafkaTopicName("p.x.app.😀"), "p.x.app.__", "one '_' per UTF-16 unit");
        assert.equal(kafkaCollisionKey("a.b"), kafkaCollisionKey("a_b"));
    });

    it("match exact names in Debezium's comma-separated, case-insensitive regex lists", () => {
        const pattern = debeziumExactName("app", "a, b.$ c");
        assert.doesNotMatch(pattern, /,/);
        assert.equal(pattern, "(?-i)app\\.a\\x{2c}\\x{20}b\\x{2e}\\x{24}\\x{20}c");
        assert.equal(debeziumQuotedId("app", 'x"y.z'), '"app"."x""y.z"');
    });

    it("find names a JDBC metadata LIKE pattern confuses", () => {
        assert.deepEqual(likePatternMatches("user_roles", ["user_roles", "user-roles", "users"]), ["user-roles"]);
        assert.deepEqual(likePatternMatches("orders", ["orders", "ordersX"]), []);
        assert.deepEqual(likePatternMatches("a_b", ["A-B"], true), ["A-B"]);
        assert.deepEqual(likePatternMatches("a_b", ["A-B"], false), []);
    });
});
