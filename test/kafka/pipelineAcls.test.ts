import * as assert from "node:assert/strict";
import { aclKey, pipelineAcls } from "../../kafka/pipelineAcls";

describe("the pipeline's ACLs on a secured cluster", () => {
    it("grants the Connect principal its topics, its consumer groups and the brokers' config, nothing else", () => {
        const keys = pipelineAcls("app", "tandem-connect").map(aclKey);
        assert.deepEqual(keys, [
            "User:tandem-connect READ TOPIC app.*",
            "User:tandem-connect WRITE TOPIC app.*",
            "User:tandem-connect CREATE TOPIC app.*",
            "User:tandem-connect DESCRIBE TOPIC app.*",
            "User:tandem-connect DESCRIBE_CONFIGS TOPIC app.*",
            "User:tandem-connect READ TOPIC __debezium-heartbeat.app.*",
            "User:tandem-connect WRITE TOPIC __debezium-heartbeat.app.*",
            "User:tandem-connect CREATE TOPIC __debezium-heartbeat.app.*",
            "User:tandem-connect DESCRIBE TOPIC __debezium-heartbeat.app.*",
            "User:tandem-connect DESCRIBE_CONFIGS TOPIC __debezium-heartbeat.app.*",
            "User:tandem-connect READ GROUP connect-app-*",
            "User:tandem-connect DESCRIBE GROUP connect-app-*",
            "User:tandem-connect DELETE GROUP connect-app-*",
            "User:tandem-connect READ GROUP app-*",
            "User:tandem-connect DESCRIBE GROUP app-*",
            "User:tandem-connect DELETE GROUP app-*",
            "User:tandem-connect DESCRIBE_CONFIGS CLUSTER kafka-cluster",
        ]);
        assert.ok(!keys.some((key) => / (ALTER|ALTER_CONFIGS|ALL|CLUSTER_ACTION|IDEMPOTENT_WRITE) /.test(key)));
    });
});
