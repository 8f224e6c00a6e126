// An ad-hoc connector's secrets as `tandem connectors deploy` keeps them out of Connect: which keys are secrets (Connect's
// PASSWORD type, or a `…password` / `….jaas.config` name), the config rewritten with `${dir:…}` references, the files
// kept in the folder, the stack's secrets folder as the Pulumi program chooses it, and the refusal naming the keys only.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import {
    holdsReference,
    noSecretsFolder,
    referencedFiles,
    secretKeys,
    stackSecretsDir,
    withSecretReferences,
} from "../../cli/connectorSecrets";
import { defaultDevSecretsDir, defaultLocalSecretsDir } from "../../components/stackConfig";

/** A validate answer as Connect gives it: a definition (with its type) and a value per key. */
const answer = (types: Record<string, string>) => ({
    configs: Object.entries(types).map(([name, type]) => ({ definition: { name, type }, value: { name } })),
});

describe("cli/connectorSecrets", () => {
    it("takes for secrets the keys Connect types PASSWORD and those named …password or ….jaas.config", () => {
        const config = {
            name: "copy",
            "connector.class": "io.debezium.connector.jdbc.JdbcSinkConnector",
            "connection.url": "jdbc:postgresql://db:5432/app",
            "connection.username": "admin",
            "connection.password": "s3cret",
            "plugin.token": "t0ken",
            "database.ssl.truststore.password": "changeit",
            "producer.override.sasl.jaas.config": 'PlainLoginModule required username="u" password="p";',
            "tasks.max": "1",
        };
        const keys = secretKeys(
            config,
            answer({ "connection.password": "PASSWORD", "plugin.token": "PASSWORD", "connection.username": "STRING", "tasks.max": "INT" }),
        );
        assert.deepEqual(keys, [
            "connection.password",
            "database.ssl.truststore.password",
            "plugin.token",
            "producer.override.sasl.jaas.config",
        ]);
        // Without an answer (an unknown plugin's keys), the names alone still catch the usual ones.
        assert.deepEqual(secretKeys({ "database.password": "x", DB_PASSWORD: "y", "sasl.jaas.config": "z", passwords_file: "/f" }, {}), [
            "DB_PASSWORD",
            "database.password",
            "sasl.jaas.config",
        ]);
    });

    it("leaves config provider references and empty values as they are", () => {
        const config = {
            "connection.password": "${dir:/secrets/copy:connection.password}",
            "database.password": "${secrets:tandem/copy-secrets:database.password}",
            "sasl.jaas.config": 'PlainLoginModule required username="u" password="${env:KAFKA_PASSWORD}";',
            "ssl.key.password": "",
            "other.password": "${not a reference}",
        };
        assert.deepEqual(secretKeys(config, answer({ "connection.password": "PASSWORD", "ssl.key.password": "PASSWORD" })), [
            "other.password",
        ]);
        assert.equal(holdsReference("${file:/etc/x.properties:pw}"), true);
        assert.equal(holdsReference("${nothing}"), false);
        assert.equal(holdsReference("pa$${w}ord"), false);
    });

    it("replaces each secret by its ${dir:<folder>:<key>} reference, the values going to the files only", () => {
        const config = { name: "copy", "connection.password": "s3cret", "database.ssl.truststore.password": "changeit", topics: "t" };
        const { config: sent, secrets } = withSecretReferences(
            config,
            ["connection.password", "database.ssl.truststore.password"],
            "/state/connect-secrets/",
            "copy",
        );
        assert.deepEqual(sent, {
            name: "copy",
            "connection.password": "${dir:/state/connect-secrets/copy:connection.password}",
            "database.ssl.truststore.password": "${dir:/state/connect-secrets/copy:database.ssl.truststore.password}",
            topics: "t",
        });
        assert.deepEqual(secrets, { "connection.password": "s3cret", "database.ssl.truststore.password": "changeit" });
        assert.ok(!JSON.stringify(sent).includes("s3cret") && !JSON.stringify(sent).includes("changeit"));
        assert.equal(config["connection.password"], "s3cret", "the file's config is left as it was");
    });

    it("keeps the folder's files the config still refers to (a reference copied from an earlier deploy, a trust store)", () => {
        const folder = "/s/copy";
        const config = {
            "database.password": "${dir:/s/copy:database.password}",
            "database.ssl.truststore": "/s/copy/truststore.jks",
            "connection.password": "new",
        };
        assert.deepEqual(referencedFiles(config, folder, ["database.password", "truststore.jks", "stale.password", "database"]), [
            "database.password",
            "truststore.jks",
        ]);
    });

    it("finds the stack's secrets folder where the Pulumi program puts it: configured, local's and dev's defaults, none on prod", () => {
        const env = { TANDEM_STATE_DIR: "/var/state" };
        assert.deepEqual(stackSecretsDir("local", { environment: "local", connectSecretsDir: "" }, {}, "/repo"), {
            dir: defaultLocalSecretsDir({}, "/repo"),
        });
        assert.deepEqual(stackSecretsDir("local", { environment: "local" }, env, "/repo"), { dir: defaultLocalSecretsDir(env, "/repo") });
        assert.deepEqual(stackSecretsDir("local", {}, {}, "/repo"), { dir: path.join("/repo", ".sandbox", "connect-secrets") });
        assert.deepEqual(stackSecretsDir("dev", { environment: "dev", connectSecretsDir: "" }, {}, "/repo", "/home/me"), {
            dir: defaultDevSecretsDir("dev", "/home/me"),
        });
        assert.deepEqual(stackSecretsDir("cli-x", { environment: "local", connectSecretsDir: "/tmp/secrets" }), { dir: "/tmp/secrets" });
        assert.deepEqual(stackSecretsDir("d", { environment: "dev", connectSecretsDir: "/mnt/secrets" }), { dir: "/mnt/secrets" });
        const prod = stackSecretsDir("prod", { environment: "prod", connectSecretsDir: "" });
        assert.ok("reason" in prod && /prod.*Kubernetes Secrets/.test(prod.reason), JSON.stringify(prod));
        const relative = stackSecretsDir("x", { environment: "local", connectSecretsDir: "secrets" });
        assert.ok("reason" in relative && /not an absolute folder/.test(relative.reason), JSON.stringify(relative));
    });

    it("refuses with a usage error naming the keys and the way out, never their values", () => {
        const error = noSecretsFolder("copy.json", ["connection.password", "sasl.jaas.config"], "stack prod (prod) keeps …");
        assert.equal(error.exitCode, 2);
        assert.match(error.message, /^copy\.json: connection\.password, sasl\.jaas\.config hold secrets/);
        assert.match(error.message, /write them as a config provider reference/);
        assert.match(error.message, /\$\{secrets:<namespace>\/<secret>:connection\.password\}/);
    });
});
