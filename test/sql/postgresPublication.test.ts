import * as assert from "node:assert/strict";
import { postgresPublication, postgresPublicationTeardown } from "../../sql/postgresPublication";
import { pgOptions } from "./fixtures";

describe("PostgreSQL publication builders", () => {
    it("publishes exactly the synced tables and the heartbeat table", () => {
        assert.match(
            postgresPublication(["orders"], pgOptions)[0],
            /CREATE PUBLICATION "tandem_pub" FOR TABLE "public"\."orders", "public"\."tandem_heartbeat"/,
        );
    });

    it("drops the slot only once the deleted source lets go of it, ending a lingering holder, failing if it stays", () => {
        const [slot, publication] = postgresPublicationTeardown("o'pub", "o'slot");
        assert.match(slot, /FOR attempt IN 1\.\.60 LOOP/);
        assert.match(slot, /IF attempt = 40 THEN PERFORM pg_terminate_backend\(holder\)/);
        assert.match(slot, /RAISE EXCEPTION 'replication slot % is still in use by process %', 'o''slot', holder/);
        assert.match(slot, /PERFORM pg_drop_replication_slot\(slot_name\) FROM pg_replication_slots WHERE slot_name = 'o''slot'/);
        assert.equal(publication, `DROP PUBLICATION IF EXISTS "o'pub"`);
    });
});
