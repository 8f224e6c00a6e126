import * as assert from "node:assert/strict";
import { RawSettings } from "../../components/configValues";
import { validateSettings } from "../../components/settings";
import { defaultDevSecretsDir, defaultLocalSecretsDir } from "../../components/stackConfig";
import * as fs from "fs";
import * as path from "path";

const CA = fs.readFileSync(path.join(__dirname, "..", "fixtures", "tls", "ca.pem"), "utf8");

const valid: RawSettings = {
    environment: "local",
    connectUrl: "http://127.0.0.1:18083",
    kafkaBootstrapServers: "127.0.0.1:19092",
    connectSecretsDir: "/tmp/secrets",
    topicPrefix: "tandem",
    mysqlFlavor: "mariadb",
    mysqlHost: "127.0.0.1",
    mysqlPort: "13306",
    mysqlDatabase: "app",
    mysqlUser: "tandem_admin",
    mysqlServerId: "184054",
    postgresHost: "127.0.0.1",
    postgresPort: 15432,
    postgresDatabase: "app",
    postgresSchema: "public",
    postgresUser: "tandem_admin",
    tables: '["demo_items"]',
    conflictPolicy: "last-writer-wins",
    tieWinner: "postgres",
    initialLoad: "snapshot",
};

describe("settings", () => {
    it("accepts a valid local config and types its values", () => {
        const settings = validateSettings(valid);
        assert.equal(settings.mysql.port, 13306);
        assert.equal(settings.mysql.serverId, 184054);
        assert.deepEqual(settings.tables, ["demo_items"]);
        assert.equal(settings.environment, "local");
    });

    it("accepts tables given as an array", () => {
        assert.deepEqual(validateSettings({ ...valid, tables: ["a", "b"] }).tables, ["a", "b"]);
    });

    it("names every invalid key in one error", () => {
        assert.throws(
            () =>
                validateSettings({
                    ...valid,
                    environment: "staging",
                    connectUrl: "not a url",
                    mysqlPort: "70000",
                    mysqlFlavor: "oracle",
                    postgresUser: "",
                    tables: '"not a list"',
                }),
            (error: Error) => {
                for (const key of ["environment", "connectUrl", "mysqlPort", "mysqlFlavor", "postgresUser", "tables"]) {
                    assert.match(error.message, new RegExp(`tandem:${key} `));
                }
                assert.doesNotMatch(error.message, /tandem:mysqlHost/);
                return true;
            },
        );
    });

    it("rejects duplicate and malformed table names", () => {
        assert.throws(() => validateSettings({ ...valid, tables: ["a", "a"] }), /tandem:tables lists an entry twice/);
        // Any name MySQL allows is fine (it is quoted everywhere): spaces, quotes, dots, non-ASCII letters.
        assert.deepEqual(validateSettings({ ...valid, tables: ["order items", "it's.odd", "café"] }).tables, [
            "order items",
            "it's.odd",
            "café",
        ]);
        assert.throws(() => validateSettings({ ...valid, tables: [""] }), /tandem:tables has an invalid entry ""/);
        assert.throws(() => validateSettings({ ...valid, tables: ["x".repeat(65)] }), /tandem:tables has an invalid entry/);
    });

    it("selects tables by a list or by patterns, not both, and checks the policy", () => {
        assert.deepEqual(validateSettings({ ...valid, tables: "[]", tableInclude: '["order_*"]' }).tableInclude, ["order_*"]);
        assert.throws(
            () => validateSettings({ ...valid, tables: "[]" }),
            /tandem:tables or tandem:tableInclude must select at least one table/,
        );
        assert.throws(() => validateSettings({ ...valid, tableInclude: '["x*"]' }), /exclude each other/);
        assert.throws(
            () => validateSettings({ ...valid, conflictPolicy: "newest" }),
            /tandem:conflictPolicy must be one of last-writer-wins, mysql-wins, postgres-wins/,
        );
        assert.throws(() => validateSettings({ ...valid, tieWinner: "oracle" }), /tandem:tieWinner must be one of mysql, postgres/);
    });

    it("takes each side's TLS mode and CA: the verify modes need a CA, the CA must be PEM", () => {
        const settings = validateSettings({ ...valid, mysqlTls: "verify-full", mysqlTlsCa: CA, postgresTls: "require" });
        assert.deepEqual(settings.mysql.tls, { mode: "verify-full", ca: CA.trim() });
        assert.deepEqual(settings.postgres.tls, { mode: "require" });
        assert.deepEqual(validateSettings(valid).mysql.tls, { mode: "disable" });
        assert.throws(
            () => validateSettings({ ...valid, mysqlTls: "verify_identity", postgresTls: "verify-ca", postgresTlsCa: "not a certificate" }),
            (error: Error) =>
                /tandem:mysqlTls must be one of disable, require, verify-ca, verify-full/.test(error.message) &&
                /tandem:postgresTlsCa must be PEM certificate/.test(error.message),
        );
        assert.throws(
            () => validateSettings({ ...valid, postgresTls: "verify-full" }),
            /tandem:postgresTlsCa must be set when tandem:postgresTls is verify-full/,
        );
    });

    it("local: sasl-scram needs both principals and their passwords, and a PEM CA; other environments refuse it", () => {
        const secured = {
            ...valid,
            kafkaSecurity: "sasl-scram",
            kafkaUser: "admin",
            kafkaConnectUser: "connect",
            kafkaTlsCa: CA,
            kafkaPasswordSet: true,
            kafkaConnectPasswordSet: true,
        };
        assert.deepEqual(validateSettings(secured).kafka, { security: "sasl-scram", user: "admin", connectUser: "connect", ca: CA.trim() });
        assert.equal(validateSettings(valid).kafka.security, "plaintext");
        assert.throws(
            () => validateSettings({ ...secured, kafkaConnectUser: "", kafkaPasswordSet: false, kafkaTlsCa: "nope" }),
            (error: Error) =>
                /tandem:kafkaConnectUser is required/.test(error.message) &&
                /tandem:kafkaPassword is required/.test(error.message) &&
                /tandem:kafkaTlsCa must be PEM/.test(error.message),
        );
        assert.throws(
            () => validateSettings({ ...valid, kafkaSecurity: "msk-iam" }),
            /tandem:kafkaSecurity must be plaintext or sasl-scram on local/,
        );
    });

    it("requires an absolute secrets folder", () => {
        assert.throws(
            () => validateSettings({ ...valid, connectSecretsDir: "secrets" }),
            /tandem:connectSecretsDir must be an absolute folder/,
        );
    });
});

describe("settings per environment", () => {
    const dev: RawSettings = { ...valid, environment: "dev", connectUrl: "", kafkaBootstrapServers: "" };
    const prod: RawSettings = {
        ...valid,
        environment: "prod",
        mysqlFlavor: "mysql",
        kafkaBootstrapServers: "",
        connectSecretsDir: "",
        connectUrl: "https://connect.internal",
        awsSubnetIds: '["subnet-0a1b2c3d4e5f60001","subnet-0a1b2c3d4e5f60002","subnet-0a1b2c3d4e5f60003"]',
        awsSecurityGroupIds: '["sg-0a1b2c3d4e5f60001"]',
        kubernetesNamespace: "tandem",
        rdsMysqlParameterFamily: "mysql8.0",
        rdsPostgresParameterFamily: "postgres15",
        connectRestPasswordSet: true,
        connectIamRoleArn: "arn:aws:iam::123456789012:role/tandem-connect",
    };

    it("defaults the admin addresses to the workers' and takes them apart when given", () => {
        assert.deepEqual(validateSettings(valid).mysql.admin, { host: "127.0.0.1", port: 13306 });
        assert.deepEqual(
            validateSettings({ ...valid, mysqlAdminHost: "", mysqlAdminPort: 0 }).mysql.admin,
            { host: "127.0.0.1", port: 13306 },
            "Pulumi.yaml's defaults mean unset",
        );
        const split = validateSettings({ ...dev, mysqlHost: "host.docker.internal", mysqlAdminHost: "127.0.0.1", mysqlAdminPort: "3307" });
        assert.deepEqual([split.mysql.host, split.mysql.admin], ["host.docker.internal", { host: "127.0.0.1", port: 3307 }]);
        assert.throws(() => validateSettings({ ...valid, postgresAdminPort: "70000" }), /tandem:postgresAdminPort must be a TCP port/);
    });

    it("dev: refuses the addresses the stack creates itself", () => {
        assert.equal(validateSettings(dev).environment, "dev");
        assert.throws(
            () => validateSettings({ ...dev, connectUrl: "http://127.0.0.1:18083", kafkaBootstrapServers: "127.0.0.1:19092" }),
            (error: Error) =>
                /tandem:connectUrl must not be set on a dev stack/.test(error.message) &&
                /tandem:kafkaBootstrapServers must not be set on a dev stack/.test(error.message),
        );
    });

    it("prod: TLS required, the verify modes not yet (the CA would have to be a file on the workers)", () => {
        assert.equal(validateSettings({ ...prod, mysqlTls: "require", postgresTls: "require" }).postgres.tls.mode, "require");
        assert.throws(
            () => validateSettings({ ...prod, postgresTls: "verify-full", postgresTlsCa: CA }),
            /tandem:postgresTls verify-full is not available on prod/,
        );
    });

    it("prod: requires the AWS and Kubernetes coordinates, naming each missing key", () => {
        const settings = validateSettings(prod);
        assert.deepEqual(settings.prod?.subnetIds.length, 3);
        assert.throws(
            () =>
                validateSettings({
                    ...prod,
                    awsSubnetIds: '["subnet-0a1b2c3d4e5f60001"]',
                    awsSecurityGroupIds: "[]",
                    kubernetesNamespace: "Tandem",
                    rdsPostgresParameterFamily: "mysql8.0",
                    connectUrl: "",
                    connectRestPasswordSet: false,
                    connectIamRoleArn: "tandem-connect",
                }),
            (error: Error) => {
                for (const key of [
                    "awsSubnetIds",
                    "awsSecurityGroupIds",
                    "kubernetesNamespace",
                    "rdsPostgresParameterFamily",
                    "connectUrl",
                    "connectRestPassword",
                    "connectIamRoleArn",
                ]) {
                    assert.match(error.message, new RegExp(`tandem:${key} `));
                }
                return true;
            },
        );
        assert.throws(
            () => validateSettings({ ...prod, plaintextSecrets: ["kubeconfig"] }),
            /tandem:kubeconfig must be set as a secret: pulumi config set --secret tandem:kubeconfig/,
        );
        assert.throws(
            () => validateSettings({ ...prod, connectSecretsDir: "/etc/secrets" }),
            /tandem:connectSecretsDir must not be set on a prod stack/,
        );
        assert.throws(
            () => validateSettings({ ...prod, awsSubnetIds: '["subnet-1","subnet-2","subnet-3"]' }),
            /tandem:awsSubnetIds has an invalid entry "subnet-1"/,
        );
    });

    it("checks sizing against the environment's defaults and binlog retention against RDS's limit", () => {
        assert.deepEqual(validateSettings({ ...prod, connectWorkers: "4" }).sizing, { connectWorkers: 4 });
        assert.throws(
            () => validateSettings({ ...dev, topicReplicationFactor: "3" }),
            /tandem:topicReplicationFactor \(3\) cannot exceed the 1 Kafka brokers/,
        );
        assert.throws(
            () => validateSettings({ ...prod, topicMinInsyncReplicas: "4" }),
            /tandem:topicMinInsyncReplicas \(4\) cannot exceed the replication factor 3/,
        );
        assert.throws(() => validateSettings({ ...valid, kafkaBrokers: "3" }), /tandem:kafkaBrokers must not be set on a local stack/);
        assert.equal(validateSettings(valid).binlogRetentionHours, 168);
        assert.equal(validateSettings({ ...valid, binlogRetentionHours: "720" }).binlogRetentionHours, 720);
        assert.throws(
            () => validateSettings({ ...prod, binlogRetentionHours: "720" }),
            /tandem:binlogRetentionHours must be at most 168 on RDS/,
        );
        assert.throws(
            () => validateSettings({ ...valid, binlogRetentionHours: "0" }),
            /tandem:binlogRetentionHours must be a whole number of hours/,
        );
    });
});

describe("defaultLocalSecretsDir", () => {
    it("points at the sandbox's secrets folder in the project, or under TANDEM_STATE_DIR", () => {
        assert.equal(defaultLocalSecretsDir({}, "/repo"), "/repo/.sandbox/connect-secrets");
        assert.equal(defaultLocalSecretsDir({ TANDEM_STATE_DIR: "/var/state" }, "/repo"), "/var/state/connect-secrets");
        assert.equal(defaultDevSecretsDir("dev", "/home/me"), "/home/me/.tandem/dev/connect-secrets");
    });
});
