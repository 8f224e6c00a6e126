import * as assert from "node:assert/strict";
import { postgresAccountGrants } from "../../sql/postgresAccounts";
import { pgOptions } from "./fixtures";

describe("PostgreSQL role builders", () => {
    it("lets the sync role set session_replication_role (PostgreSQL 15+)", () => {
        assert.match(postgresAccountGrants(pgOptions).join("\n"), /GRANT SET ON PARAMETER session_replication_role TO "tandem_sync"/);
    });
});
