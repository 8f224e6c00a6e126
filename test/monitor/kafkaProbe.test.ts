import * as assert from "node:assert/strict";
import { mskRegion, sinkGroups } from "../../monitor/kafkaProbe";

describe("monitor/kafkaProbe", () => {
    it("tells the AWS region from MSK broker names, else from the environment", () => {
        assert.equal(mskRegion(["b-1.tandem.abc123.c2.kafka.eu-west-1.amazonaws.com:9098"], {}), "eu-west-1");
        assert.equal(mskRegion(["broker:9098"], { AWS_REGION: "us-east-2" }), "us-east-2");
        assert.throws(() => mskRegion(["broker:9098"], {}), /set AWS_REGION/);
    });

    it("reads the lag of the sinks' consumer groups, named as Connect names them", () => {
        assert.deepEqual(sinkGroups("tandem"), ["connect-tandem-postgres-sink", "connect-tandem-mysql-sink"]);
    });
});
