// Runs the whole Pulumi program (index.ts) under Pulumi mocks with a shipped stack's config: Pulumi.yaml's
// defaults, then Pulumi.<stack>.yaml, then the test's overrides (passwords, and the database addresses of
// the machine running pulumi, pointed at the sandbox so catalog read and preflight run for real).
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import { mock, Registered } from "./mocks";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

type ConfigFile = { config?: Record<string, unknown> };

/** The plain config a stack file gives (secure values left out: tests supply their own). */
export function shippedConfig(stack: string): Record<string, string> {
    const project = yaml.load(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as {
        config: Record<string, { default?: unknown }>;
    };
    const stackFile = yaml.load(fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8")) as ConfigFile;
    const config: Record<string, string> = {};
    const put = (key: string, value: unknown) => {
        if (value === undefined || value === null || (typeof value === "object" && !Array.isArray(value))) return;
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
    };
    for (const [key, schema] of Object.entries(project.config)) put(key, schema.default);
    for (const [key, value] of Object.entries(stackFile.config ?? {})) put(key, value);
    return config;
}

export interface ProgramRun {
    registered: Registered[];
    outputs: Record<string, unknown>;
}

export async function runProgram(
    stack: string,
    overrides: Record<string, string>,
    secretOverrides: Record<string, string>,
): Promise<ProgramRun> {
    const registered = mock(stack);
    const all = { ...shippedConfig(stack), ...overrides, ...secretOverrides };
    pulumi.runtime.setAllConfig(all, Object.keys(secretOverrides));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(path.join(REPO_ROOT, "index.ts")) as () => Promise<Record<string, unknown>>;
    const outputs = await new Promise<Record<string, unknown>>((resolve, reject) => {
        program().then((result) => pulumi.output(result).apply((plain) => resolve(plain as Record<string, unknown>)), reject);
    });
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    return { registered, outputs };
}

// Secrets reach mocks as { [specialSigKey]: specialSecretSig, value } (exported by Pulumi's runtime, untyped).
const { specialSigKey, specialSecretSig } = pulumi.runtime as unknown as { specialSigKey: string; specialSecretSig: string };

/** Paths in a resource's inputs where `needle` appears outside a Pulumi secret. */
export function plaintextOccurrences(value: unknown, needle: string, at = "$"): string[] {
    if (typeof value === "string") return value.includes(needle) ? [at] : [];
    if (Array.isArray(value)) return value.flatMap((item, index) => plaintextOccurrences(item, needle, `${at}[${index}]`));
    if (value && typeof value === "object") {
        if ((value as Record<string, unknown>)[specialSigKey] === specialSecretSig) return [];
        return Object.entries(value).flatMap(([key, item]) =>
            key === "__provider" ? [] : plaintextOccurrences(item, needle, `${at}.${key}`),
        );
    }
    return [];
}
