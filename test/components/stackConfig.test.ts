// Pulumi.yaml is the one list of config keys: validateSettings reads exactly the keys it declares, refuses
// values of the wrong type naming the key, and falls back to the very defaults it declares.
import * as assert from "node:assert/strict";
import { RawSettings } from "../../components/configValues";
import { validateSettings } from "../../components/settings";
import { SECRET_STRINGS } from "../../components/stackConfig";
import { configDefaults, configSchema } from "../../core/projectConfig";

const schema = configSchema();
const defaults = configDefaults(schema);
// Keys with no default in Pulumi.yaml, which every stack sets.
const required: RawSettings = { mysqlUser: "tandem_admin", postgresUser: "tandem_admin", tables: ["orders"] };
const byEnvironment: Record<string, RawSettings> = {
    local: {
        ...required,
        environment: "local",
        connectUrl: "http://127.0.0.1:18083",
        kafkaBootstrapServers: "127.0.0.1:19092",
        connectSecretsDir: "/tmp/secrets",
    },
    dev: { ...required, environment: "dev", connectSecretsDir: "/tmp/secrets" },
    prod: {
        ...required,
        environment: "prod",
        connectUrl: "https://connect.internal",
        awsSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"],
        awsSecurityGroupIds: ["sg-0a1b2c3d4e5f60001"],
        connectIamRoleArn: "arn:aws:iam::123456789012:role/tandem-connect",
        rdsMysqlParameterFamily: "mariadb10.11",
        connectRestPasswordSet: true,
    },
};
// Values loadSettings adds itself (not stack config keys).
const COMPUTED = ["plaintextSecrets", "connectRestPasswordSet"];

function keysRead(raw: RawSettings): Set<string> {
    const read = new Set<string>();
    const spy = new Proxy(raw, { get: (target, key) => (typeof key === "string" && read.add(key), target[key as string]) });
    try {
        validateSettings(spy);
    } catch {
        // Only the keys read matter here.
    }
    return read;
}

describe("stack config (Pulumi.yaml)", () => {
    it("declares every key validateSettings reads, and validateSettings reads every declared key", () => {
        const read = new Set(Object.values(byEnvironment).flatMap((raw) => [...keysRead({ ...defaults, ...raw })]));
        const settingKeys = Object.keys(schema).filter((key) => !schema[key].secret && !SECRET_STRINGS.includes(key));
        assert.deepEqual([...read].filter((key) => !COMPUTED.includes(key)).sort(), settingKeys.sort());
    });

    it("marks the database passwords secret, and declares the secrets that cannot be marked (they have a default)", () => {
        assert.deepEqual(
            Object.keys(schema)
                .filter((key) => schema[key].secret)
                .sort(),
            ["mysqlPassword", "postgresPassword"],
        );
        for (const key of SECRET_STRINGS) assert.equal(schema[key]?.default, "", key);
    });

    it("where it falls back for an absent key, falls back to the default Pulumi.yaml declares", () => {
        for (const [environment, raw] of Object.entries(byEnvironment)) {
            const complete = { ...defaults, ...raw };
            const expected = validateSettings(complete);
            for (const key of Object.keys(defaults).filter((key) => !(key in raw))) {
                const { [key]: _absent, ...withoutKey } = complete;
                let settings;
                try {
                    settings = validateSettings(withoutKey);
                } catch (error) {
                    assert.match(
                        (error as Error).message,
                        new RegExp(`tandem:${key} `),
                        `${environment}: leaving out tandem:${key} broke another key`,
                    );
                    continue;
                }
                assert.deepEqual(
                    settings,
                    expected,
                    `${environment}: tandem:${key} falls back to something else than Pulumi.yaml's default`,
                );
            }
        }
    });

    it("refuses a value of the wrong type for every typed key, naming it", () => {
        const wrong: Record<string, unknown> = { integer: "twelve", boolean: "maybe", array: "not a list" };
        for (const [key, declared] of Object.entries(schema)) {
            if (!(declared.type in wrong) || declared.secret) continue;
            const named = Object.values(byEnvironment).some((raw) => {
                try {
                    validateSettings({ ...defaults, ...raw, [key]: wrong[declared.type] });
                    return false;
                } catch (error) {
                    return (error as Error).message.includes(`tandem:${key} `);
                }
            });
            assert.ok(named, `tandem:${key} (${declared.type}) accepted ${JSON.stringify(wrong[declared.type])}`);
        }
    });
});
