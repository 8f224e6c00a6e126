// Reads the stack's config: the keys, their types and defaults are those Pulumi.yaml declares (the one list of
// them; test/components/stackConfig.test.ts checks that validateSettings reads exactly these), validated by
// components/settings.ts so that `pulumi preview` fails with every bad key named at once.
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, configSchema } from "../core/projectConfig";
import { RawSettings } from "./configValues";
import { SecretSettings, Settings, validateSettings } from "./settings";

/** Keys holding secrets that Pulumi.yaml cannot mark `secret` (they have a default): read as secrets, never as settings. */
export const SECRET_STRINGS = ["connectRestPassword", "kubeconfig", "kafkaPassword", "kafkaConnectPassword"];

/**
 * The `local` stack targets the sandbox by default: its Connect worker serves `<state dir>/connect-secrets`
 * (sandbox/sandbox.sh), and the state dir defaults to `.sandbox` in the project folder.
 */
export function defaultLocalSecretsDir(env: NodeJS.ProcessEnv = process.env, projectDir: string = process.cwd()): string {
    return path.join(defaultLocalStateDir(env, projectDir), "connect-secrets");
}

/** The sandbox's state folder (`sandbox.sh down` stops what keeps a pid file there, the local health monitor too). */
export function defaultLocalStateDir(env: NodeJS.ProcessEnv = process.env, projectDir: string = process.cwd()): string {
    return path.resolve(projectDir, env.TANDEM_STATE_DIR ?? ".sandbox");
}

/** dev: the host folder bind-mounted into the Connect containers, per stack. */
export function defaultDevSecretsDir(stack: string, home: string = os.homedir()): string {
    return path.join(home, ".tandem", stack, "connect-secrets");
}

/** Reads the stack's config (defaults come from Pulumi.yaml's schema) and validates it. */
export function loadSettings(config: pulumi.Config = new pulumi.Config(CONFIG_NAMESPACE)): { settings: Settings; secrets: SecretSettings } {
    const raw: RawSettings = {};
    for (const [key, declared] of Object.entries(configSchema()))
        if (!declared.secret && !SECRET_STRINGS.includes(key)) raw[key] = config.get(key);
    const environment = raw.environment ?? "local";
    if (!raw.connectSecretsDir && environment === "local") raw.connectSecretsDir = defaultLocalSecretsDir();
    if (!raw.connectSecretsDir && environment === "dev") raw.connectSecretsDir = defaultDevSecretsDir(pulumi.getStack());
    if (environment === "prod" && !raw.rdsMysqlParameterFamily) {
        raw.rdsMysqlParameterFamily = raw.mysqlFlavor === "mariadb" ? "mariadb10.11" : "mysql8.0";
    }
    // prod's REST password is checked with the rest, by presence only (its value is not read here).
    raw.connectRestPasswordSet = Boolean(pulumi.runtime.getConfig("tandem:connectRestPassword"));
    raw.kafkaPasswordSet = Boolean(pulumi.runtime.getConfig("tandem:kafkaPassword"));
    raw.kafkaConnectPasswordSet = Boolean(pulumi.runtime.getConfig("tandem:kafkaConnectPassword"));
    // Not typed in @pulumi/pulumi's declarations, but exported by its runtime.
    const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret;
    raw.plaintextSecrets = SECRET_STRINGS.filter((key) => pulumi.runtime.getConfig(`tandem:${key}`) && !isConfigSecret(`tandem:${key}`));
    let settings: Settings;
    try {
        settings = validateSettings(raw);
    } catch (error) {
        // A RunError prints the message alone, without a stack trace.
        throw new pulumi.RunError((error as Error).message);
    }
    return {
        settings,
        secrets: {
            mysqlPassword: config.requireSecret("mysqlPassword"),
            postgresPassword: config.requireSecret("postgresPassword"),
            // prod only: the REST API of the workers is protected by basic auth.
            connectRestPassword: settings.environment === "prod" ? config.requireSecret("connectRestPassword") : undefined,
            // Empty (Pulumi.yaml's default): the ambient kubeconfig.
            kubeconfig:
                settings.environment === "prod" && pulumi.runtime.getConfig("tandem:kubeconfig")
                    ? config.requireSecret("kubeconfig")
                    : undefined,
            // sasl-scram: the Kafka admin's and the Connect principal's passwords.
            ...(settings.kafka.security === "sasl-scram"
                ? {
                      kafkaPassword: config.requireSecret("kafkaPassword"),
                      kafkaConnectPassword: config.requireSecret("kafkaConnectPassword"),
                  }
                : {}),
        },
    };
}
