import * as assert from "node:assert/strict";
import { identityChanges } from "../../components/pipelineIdentity";

describe("pipeline identity: what a deployed stack refuses to change in place", () => {
    const deployed = { prefix: "shop", mysqlDatabase: "app", postgresDatabase: "app", postgresSchema: "public" };

    it("a first deployment or the same identity: nothing refused", () => {
        assert.deepEqual(identityChanges({}, deployed), []);
        assert.deepEqual(identityChanges(deployed, { ...deployed }), []);
    });

    it("refuses a new prefix, database or schema, naming the setting, both values and the way out", () => {
        const [prefix] = identityChanges(deployed, { ...deployed, prefix: "shop2" });
        assert.equal(prefix.property, "prefix");
        assert.match(prefix.reason, /^tandem:topicPrefix changed from "shop" to "shop2" on a deployed stack/);
        assert.match(prefix.reason, /tandem:teardownOnDestroy true, pulumi up, pulumi destroy/);
        const all = identityChanges(deployed, { prefix: "shop", mysqlDatabase: "legacy", postgresDatabase: "next", postgresSchema: "app" });
        assert.deepEqual(
            all.map((failure) => failure.property),
            ["mysqlDatabase", "postgresDatabase", "postgresSchema"],
        );
    });
});
