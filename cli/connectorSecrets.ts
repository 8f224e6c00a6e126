// An ad-hoc connector's secrets, kept as the stack's own connectors keep theirs (connectors/workerSecrets.ts): the
// values of the keys Connect types PASSWORD in its validate answer (and, as a safety net, of any key ending in
// `password` or `.jaas.config`) are written as files in the connector's folder under the stack's connectSecretsDir,
// which the worker serves through its `dir` config provider; the config sent to Connect holds `${dir:<folder>:<key>}`
// in their place. So no secret of a connector file reaches Connect's config topic or its REST API. Values that hold
// a config provider reference already are sent as they are. A stack without such a folder (prod: Kubernetes
// Secrets), or one whose config cannot be read, is refused: the file must then hold references itself.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { connectorSecretsFolder, secretReference } from "../connectors/connectorModel";
import { removeConnectorSecrets, writeConnectorSecrets } from "../connectors/workerSecrets";
import { PROJECT_DIR, readStackConfig } from "../ops/stackTarget";
import { UsageError } from "./errors";
import { Session } from "./session";

/** What is read of Connect's validate answer (connectors/connectorModel.ts ValidationAnswer): each key's type. */
export interface TypedValidation {
    configs?: { definition?: { name: string; type?: string }; value?: { name: string } }[];
}

/** Keys taken for secrets whatever Connect says of them (an unknown key, a client override, a transform's). */
const SECRET_KEY = /(password|(^|\.)jaas\.config)$/i;
/** A config provider reference as Kafka's ConfigTransformer finds it: `${provider:[path:]key}`. */
const REFERENCE = /\$\{[^}]*?:[^}]*\}/;
/** A file or folder name the secrets folder can hold: no separator, not `.` or `..`, nothing a reference parses. */
const SAFE_NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]+$/;

/** Whether a value holds a config provider reference (resolved by the worker: sent as it is). */
export function holdsReference(value: string): boolean {
    return REFERENCE.test(value);
}

/**
 * The keys of a connector config whose values are secrets to keep out of Connect: those typed PASSWORD by the
 * plugin's validation, and any ending in `password` or `.jaas.config`; empty values and references excepted.
 */
export function secretKeys(config: Record<string, string>, answer: TypedValidation): string[] {
    const typed = new Set(
        (answer.configs ?? [])
            .filter((entry) => entry.definition?.type === "PASSWORD")
            .map((entry) => entry.definition?.name ?? entry.value?.name),
    );
    return Object.keys(config)
        .filter((key) => key !== "name" && key !== "connector.class")
        .filter((key) => typed.has(key) || SECRET_KEY.test(key))
        .filter((key) => config[key] !== "" && !holdsReference(config[key]))
        .sort();
}

/** The config Connect is sent (each secret key's value replaced by its reference), and the secrets to write. */
export function withSecretReferences(
    config: Record<string, string>,
    keys: string[],
    secretsDir: string,
    connectorName: string,
): { config: Record<string, string>; secrets: Record<string, string> } {
    const rewritten = { ...config };
    const secrets: Record<string, string> = {};
    for (const key of keys) {
        secrets[key] = config[key];
        rewritten[key] = secretReference(secretsDir, connectorName, key);
    }
    return { config: rewritten, secrets };
}

/**
 * Files already in the connector's folder that the config refers to (a `${dir:<folder>:<file>}` reference, or the
 * file's path): kept when the secrets are written again, which removes every other file of the folder.
 */
export function referencedFiles(config: Record<string, string>, folder: string, existing: string[]): string[] {
    const values = Object.values(config);
    return existing.filter((file) =>
        values.some((value) => value.includes(`\${dir:${folder}:${file}}`) || value.includes(`${folder}/${file}`)),
    );
}

/**
 * The folder the stack's worker serves connector secrets from, as the Pulumi program chooses it
 * (components/stackConfig.ts; test/cli/connectorSecrets.test.ts holds both to the same answers): the stack's
 * `connectSecretsDir`, else local's `<state dir>/connect-secrets` and dev's `~/.tandem/<stack>/connect-secrets`.
 * prod has none: its connector secrets are Kubernetes Secrets.
 */
export function stackSecretsDir(
    stack: string,
    config: Record<string, unknown>,
    env: NodeJS.ProcessEnv = process.env,
    projectDir: string = PROJECT_DIR,
    home: string = os.homedir(),
): { dir: string } | { reason: string } {
    const environment = String(config.environment || "local");
    const configured = String(config.connectSecretsDir ?? "");
    if (environment === "prod")
        return { reason: `stack ${stack} (prod) keeps connector secrets in Kubernetes Secrets, not in a folder the CLI writes` };
    if (configured) {
        return path.isAbsolute(configured)
            ? { dir: configured }
            : { reason: `stack ${stack}'s tandem:connectSecretsDir is not an absolute folder ("${configured}")` };
    }
    if (environment === "local") return { dir: path.join(path.resolve(projectDir, env.TANDEM_STATE_DIR ?? ".sandbox"), "connect-secrets") };
    if (environment === "dev") return { dir: path.join(home, ".tandem", stack, "connect-secrets") };
    return { reason: `stack ${stack} has an unknown environment "${environment}"` };
}

/** The session's stack's secrets folder, or why there is none known (its config unreadable). */
export function sessionSecretsDir(session: Session): { dir: string } | { reason: string } {
    let config: Record<string, unknown>;
    try {
        config = readStackConfig(session.stackName);
    } catch (error) {
        const why = (error as Error).message.replace(/\s+/g, " ").trim();
        return { reason: `the secrets folder of stack ${session.stackName} is unknown: cannot read its config (${why})` };
    }
    return stackSecretsDir(session.stackName, config);
}

/** The refusal when secrets have nowhere to go: the keys named, and what to write instead (never the values). */
export function noSecretsFolder(file: string, keys: string[], reason: string): UsageError {
    const them = keys.length > 1 ? "them" : "it";
    return new UsageError(
        `${file}: ${keys.join(", ")} ${keys.length > 1 ? "hold secrets" : "holds a secret"} that would be stored by Connect in plain text, ` +
            `and ${reason}: write ${them} as a config provider reference the worker resolves instead ` +
            `(e.g. "${keys[0]}": "\${secrets:<namespace>/<secret>:${keys[0]}}" on prod, "\${dir:<folder>:<file>}" or "\${env:<VARIABLE>}"), ` +
            `or deploy to a stack with a tandem:connectSecretsDir (--stack)`,
    );
}

/**
 * Writes the config's secrets into the connector's folder and returns the config to send Connect, which refers
 * to them, with `undo` for when Connect refuses it (removes a folder written for a new connector). Throws (a
 * usage error, nothing written or sent) when the stack has no secrets folder.
 */
export function storeConnectorSecrets(
    session: Session,
    file: string,
    connectorName: string,
    config: Record<string, string>,
    keys: string[],
): { config: Record<string, string>; undo: () => void } {
    if (keys.length === 0) return { config, undo: () => undefined };
    const where = sessionSecretsDir(session);
    if (!("dir" in where)) throw noSecretsFolder(file, keys, where.reason);
    if (!SAFE_NAME.test(connectorName))
        throw new UsageError(
            `${file}: connector name "${connectorName}" cannot name a secrets folder (letters, digits, '.', '_', '-'): its secrets ${keys.join(", ")} have nowhere to go`,
        );
    const unsafe = keys.filter((key) => !SAFE_NAME.test(key));
    if (unsafe.length)
        throw new UsageError(`${file}: secret key(s) ${unsafe.join(", ")} cannot name a file (letters, digits, '.', '_', '-')`);
    const { config: rewritten, secrets } = withSecretReferences(config, keys, where.dir, connectorName);
    const folder = connectorSecretsFolder(where.dir, connectorName);
    const existing = fs.existsSync(folder) ? fs.readdirSync(folder).filter((name) => !(name in secrets)) : [];
    const kept = Object.fromEntries(
        referencedFiles(config, folder, existing).map((name) => [name, fs.readFileSync(path.join(folder, name)).toString("base64")]),
    );
    const fresh = !fs.existsSync(folder);
    writeConnectorSecrets(where.dir, connectorName, secrets, kept);
    return { config: rewritten, undo: () => (fresh ? removeConnectorSecrets(where.dir, connectorName) : undefined) };
}

/** Removes deleted connectors' secrets folders, when the stack's folder is known (nothing to do otherwise). */
export function removeSecretsOf(session: Session, connectorNames: string[]): void {
    const safe = connectorNames.filter((name) => SAFE_NAME.test(name));
    if (safe.length === 0) return;
    const where = sessionSecretsDir(session);
    if (!("dir" in where)) return;
    for (const name of safe) removeConnectorSecrets(where.dir, name);
}
