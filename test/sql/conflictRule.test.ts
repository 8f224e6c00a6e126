import * as assert from "node:assert/strict";
import { q } from "../../sql/mysqlSql";
import { postgresCommonSetup } from "../../sql/postgresSql";
import { incomingWinsCondition } from "../../sql/conflictRule";
import { lww, pgOptions } from "./fixtures";

describe("the conflict rule", () => {
    it("decides conflicts the same way for every policy", () => {
        assert.equal(
            incomingWinsCondition({ conflicts: "mysql-wins", tieWinner: "postgres" }, "NEW", "OLD", q),
            "NEW.`_tandem_origin` = 'mysql'",
        );
        assert.match(
            incomingWinsCondition(lww, "NEW", "OLD", q),
            /NEW\.`_tandem_version` > OLD\.`_tandem_version` OR \(NEW\.`_tandem_version` = OLD\.`_tandem_version` AND NEW\.`_tandem_origin` = 'postgres'\)/,
        );
        // PostgreSQL's trigger applies the very same rule, in its own quoting.
        const mysqlRule = incomingWinsCondition(lww, "NEW", "OLD", q).replace(/`/g, '"');
        assert.ok(postgresCommonSetup(pgOptions).join("\n").includes(`incoming_wins := ${mysqlRule};`));
    });
});
