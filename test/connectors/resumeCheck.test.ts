import * as assert from "node:assert/strict";
import { describeOffsets, lsnValue, ResumeCheck, slotInUseReason, staleOffsetsReason } from "../../connectors/resumeCheck";

describe("resumeCheck: offsets a source inherits under its name", () => {
    const pgOffsets = (lsn: number) => [{ partition: { server: "p.postgres-to-mysql" }, offset: { lsn, lsn_proc: lsn, txId: 7 } }];
    const slot = (restartLsn?: string): ResumeCheck => ({
        kind: "postgres-slot",
        slot: "p_slot",
        exists: true,
        ...(restartLsn ? { restartLsn } : {}),
    });

    it("reads PostgreSQL's textual LSN as Debezium stores it", () => {
        assert.equal(lsnValue("0/1A13C50"), 0x1a13c50n);
        assert.equal(lsnValue("2/0"), 2n << 32n);
        assert.throws(() => lsnValue("nonsense"), /not a PostgreSQL LSN/);
    });

    it("nothing inherited: nothing to check", () => {
        assert.equal(staleOffsetsReason({ kind: "postgres-slot", slot: "p_slot", exists: false }, []), undefined);
        assert.equal(staleOffsetsReason({ kind: "mysql-binlog", binlogFiles: [] }, []), undefined);
    });

    it("PostgreSQL: stale without the slot, or when the slot starts after their position; resumable otherwise", () => {
        assert.match(
            staleOffsetsReason({ kind: "postgres-slot", slot: "p_slot", exists: false }, pgOffsets(0x1a13c50)) ?? "",
            /replication slot p_slot they point into no longer exists/,
        );
        assert.equal(
            staleOffsetsReason(slot("0/2000000"), pgOffsets(0x1a13c50)),
            "replication slot p_slot starts at 0/2000000, after their position 0/1A13C50",
        );
        assert.equal(staleOffsetsReason(slot("0/1A13C50"), pgOffsets(0x1a13c50)), undefined);
        assert.equal(staleOffsetsReason(slot("0/1000000"), pgOffsets(0x1a13c50)), undefined);
        assert.equal(staleOffsetsReason(slot(), pgOffsets(0x1a13c50)), undefined, "a slot never used has no restart position to compare");
    });

    it("MySQL/MariaDB: stale when the schema history topic is missing or their binlog file is purged", () => {
        const offsets = [{ partition: { server: "p.mysql-to-postgres" }, offset: { file: "mysql-bin.000003", pos: 1234 } }];
        const history = (exists: boolean) => ({ name: "p.schema-history.mysql", exists });
        assert.equal(
            staleOffsetsReason({ kind: "mysql-binlog", binlogFiles: ["mysql-bin.000003"], historyTopic: history(false) }, offsets),
            "schema history topic p.schema-history.mysql is missing",
        );
        assert.equal(
            staleOffsetsReason({ kind: "mysql-binlog", binlogFiles: ["mysql-bin.000004"], historyTopic: history(true) }, offsets),
            "binlog file mysql-bin.000003 is no longer on the server",
        );
        assert.equal(
            staleOffsetsReason(
                { kind: "mysql-binlog", binlogFiles: ["mysql-bin.000003", "mysql-bin.000004"], historyTopic: history(true) },
                offsets,
            ),
            undefined,
        );
        assert.equal(staleOffsetsReason({ kind: "mysql-binlog" }, offsets), undefined, "facts not read: not checked");
        assert.equal(describeOffsets(offsets), "mysql-bin.000003:1234");
        assert.equal(describeOffsets(pgOffsets(0x1a13c50)), "lsn 0/1A13C50");
    });

    it("a slot held while no connector of the source's name is on the cluster: another deployment streams from it", () => {
        const held: ResumeCheck = {
            kind: "postgres-slot",
            slot: "p_slot",
            exists: true,
            heldBy: "process 4242 (10.0.0.9 Debezium Streaming)",
        };
        assert.match(
            slotInUseReason(held, "p-postgres-source", false, "http://127.0.0.1:18083") ?? "",
            /^replication slot p_slot is in use by process 4242 \(10\.0\.0\.9 Debezium Streaming\), and connector p-postgres-source is not on http:\/\/127\.0\.0\.1:18083: another deployment .*choose another tandem:topicPrefix$/,
        );
        assert.equal(slotInUseReason(held, "p-postgres-source", true, "http://x"), undefined, "the holder is the connector taken over");
        assert.equal(slotInUseReason(slot("0/10"), "p-postgres-source", false, "http://x"), undefined, "idle");
        assert.equal(slotInUseReason({ kind: "mysql-binlog" }, "p-mysql-source", false, "http://x"), undefined);
    });
});
