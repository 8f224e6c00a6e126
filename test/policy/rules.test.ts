import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { prodEnvironment } from "../../components/environment";
import { PolicyResource, violations } from "../../policy/rules";
import { mock, PROD_ARGS, settle } from "../support/mocks";

describe("prod policy pack", () => {
    let shipped: PolicyResource[];

    before(async () => {
        const registered = mock("prod");
        await settle(prodEnvironment({ ...PROD_ARGS, connectRestPassword: pulumi.secret("x") }));
        shipped = registered.map((r) => ({ type: r.type, name: r.name, props: r.inputs }));
    });

    it("accepts the shipped prod configuration", () => {
        assert.ok(shipped.length > 10);
        assert.deepEqual(violations(shipped), []);
    });

    it("rejects a deliberately bad one, naming every rule broken", () => {
        const bad = shipped
            .filter((r) => !r.type.startsWith("aws:rds/"))
            .map((r) => {
                if (r.type === "kafka:index/topic:Topic" && r.name === "tandem-connect-configs")
                    return { ...r, props: { ...r.props, replicationFactor: 1 } };
                if (r.type === "aws:msk/cluster:Cluster")
                    return { ...r, props: { ...r.props, encryptionInfo: { encryptionInTransit: { clientBroker: "PLAINTEXT" } } } };
                if (r.type === "kubernetes:core/v1:ConfigMap" && "worker.properties" in (r.props.data as object))
                    return { ...r, props: { data: { "worker.properties": "group.id=x\\n" } } };
                return r;
            });
        bad.push({
            type: "pulumi-nodejs:dynamic/tandem:Connector",
            name: "legacy-source",
            props: { config: { "database.password": "hunter2", "database.user": "cdc" } },
        });
        bad.push({
            type: "pulumi-nodejs:dynamic/tandem:Connector",
            name: "ok-source",
            props: { config: { "database.password": "${dir:/etc/kafka-connect/secrets/ok-source:database.password}" } },
        });
        assert.deepEqual(
            violations(bad).sort(),
            [
                "msk-encryption-and-auth: MSK tandem-kafka: TLS in transit (client-broker and in-cluster) is required",
                "topic-replication: topic tandem-connect-configs: replication factor 1 < 3",
                "connect-rest-auth: Connect workers tandem-connect-config: REST authentication must be on",
                'no-plaintext-secrets: connector legacy-source: config["database.password"] holds a secret in plaintext; use sensitiveConfig',
                "cdc-parameter-groups: no MySQL parameter group with binlog_format=ROW",
                "cdc-parameter-groups: no PostgreSQL parameter group with rds.logical_replication=1",
            ].sort(),
        );
    });
});
