// What changes in one step, as property names and Connector config keys, never values. Our dynamic
// providers' steps carry no detailedDiff nor diffReasons, so most of it is computed from the old/new inputs.
import { UNKNOWN } from "../../core/unknown";
import { isRecord, parseUrn, PreviewStep } from "./read";
import { isSecretValue, SENSITIVE_PROPERTIES } from "./redact";

/** Properties the engine adds that say nothing about the resource (dynamic provider source text). */
const INTERNAL_PROPERTIES: readonly string[] = ["__provider"];

interface PathSegment {
    key: string;
    quoted: boolean;
}

/** Parses a Pulumi property path: `a.b`, `a["x.y"]`, `a[0]`, `a.b.c`. */
export function parsePropertyPath(path: string): PathSegment[] {
    const segments: PathSegment[] = [];
    let i = 0;
    let current = "";
    const flush = () => {
        if (current !== "") segments.push({ key: current, quoted: false });
        current = "";
    };
    while (i < path.length) {
        const char = path[i];
        if (char === ".") {
            flush();
            i++;
        } else if (char === "[") {
            flush();
            if (path[i + 1] === '"') {
                let j = i + 2;
                let key = "";
                while (j < path.length && path[j] !== '"') {
                    if (path[j] === "\\" && j + 1 < path.length) j++;
                    key += path[j];
                    j++;
                }
                segments.push({ key, quoted: true });
                i = path.indexOf("]", j) === -1 ? path.length : path.indexOf("]", j) + 1;
            } else {
                const end = path.indexOf("]", i);
                segments.push({ key: path.slice(i + 1, end === -1 ? path.length : end), quoted: true });
                i = end === -1 ? path.length : end + 1;
            }
        } else {
            current += char;
            i++;
        }
    }
    flush();
    return segments;
}

export interface ConfigKeyChanges {
    added: string[];
    removed: string[];
    changed: string[];
    /** The whole config is secret or unknown: keys cannot be listed. */
    opaque?: "secret" | "unknown";
}

export interface StepChanges {
    replaceOn: string[];
    /** Top-level properties that change (names only). */
    properties: { name: string; note?: string }[];
    config?: ConfigKeyChanges;
    /** Inputs are equal: the provider decided (drift, failed tasks) or only its code changed. */
    noInputChange?: "provider-code" | "provider";
}

function comparable(value: unknown): string {
    if (value === undefined) return "\u0000undefined";
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
    if (isSecretValue(value)) return "\u0000secret";
    return JSON.stringify(sortDeep(value));
}

function sortDeep(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortDeep);
    if (isRecord(value))
        return Object.fromEntries(
            Object.keys(value)
                .sort()
                .map((key) => [key, sortDeep(value[key])]),
        );
    return value;
}

/** Key-level changes of two config maps (values compared as Connect sees them, as strings). */
export function diffConfigKeys(oldConfig: unknown, newConfig: unknown): ConfigKeyChanges {
    const result: ConfigKeyChanges = { added: [], removed: [], changed: [] };
    if (isSecretValue(oldConfig) || isSecretValue(newConfig)) return { ...result, opaque: "secret" };
    if (newConfig === UNKNOWN || oldConfig === UNKNOWN) return { ...result, opaque: "unknown" };
    const left = isRecord(oldConfig) ? oldConfig : {};
    const right = isRecord(newConfig) ? newConfig : {};
    for (const key of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
        if (!(key in left)) result.added.push(key);
        else if (!(key in right)) result.removed.push(key);
        // Two secret values cannot be compared here: a changed secret is not listed.
        else if (comparable(left[key]) !== comparable(right[key])) result.changed.push(key);
    }
    return result;
}

function isConnector(type: string): boolean {
    return /(^|[:/])Connector$/.test(type) && /tandem/.test(type);
}

function propertyNote(name: string, oldInputs: Record<string, unknown>, newInputs: Record<string, unknown>): string | undefined {
    if (SENSITIVE_PROPERTIES.includes(name) || isSecretValue(oldInputs[name]) || isSecretValue(newInputs[name])) return "secret";
    const before = oldInputs[name];
    const after = newInputs[name];
    if (after === UNKNOWN) return "known after apply";
    if (Array.isArray(before) && Array.isArray(after) && before.length !== after.length) return `${before.length} → ${after.length} items`;
    if (before === undefined && after !== undefined) return "added";
    if (before !== undefined && after === undefined) return "removed";
    return undefined;
}

/**
 * Top-level properties that change, in the best source the step has: the paths of a `detailedDiff` (bridged
 * and native providers such as kafka, aws, docker, kubernetes may send one), else `diffReasons`, else the inputs
 * that differ between the states (our dynamic providers send neither).
 */
function changedPropertyNames(
    step: PreviewStep,
    oldInputs: Record<string, unknown>,
    newInputs: Record<string, unknown>,
    bothStates: boolean,
): string[] {
    const paths = isRecord(step.detailedDiff) ? Object.keys(step.detailedDiff) : [];
    if (paths.length > 0)
        return paths.flatMap((path) =>
            parsePropertyPath(path)
                .slice(0, 1)
                .map((segment) => segment.key),
        );
    const reasons = step.diffReasons ?? [];
    if (reasons.length > 0) return reasons;
    if (!bothStates) return [];
    return [...new Set([...Object.keys(oldInputs), ...Object.keys(newInputs)])].filter(
        (key) => comparable(oldInputs[key]) !== comparable(newInputs[key]),
    );
}

/**
 * What changes in one step, as names and keys only. A Connector's config keys always come from its
 * old/new inputs: Pulumi's dynamic provider never sends a detailedDiff that could name them.
 */
export function stepChanges(step: PreviewStep): StepChanges {
    const type = step.newState?.type ?? step.oldState?.type ?? parseUrn(step.urn ?? "").type;
    const connector = isConnector(type);
    const oldInputs = isRecord(step.oldState?.inputs) ? step.oldState!.inputs! : {};
    const newInputs = isRecord(step.newState?.inputs) ? step.newState!.inputs! : {};
    const bothStates = isRecord(step.oldState?.inputs) && isRecord(step.newState?.inputs);
    const replaceOn = [...new Set(step.replaceReasons ?? [])];
    const properties = new Map<string, string | undefined>();
    let config: ConfigKeyChanges | undefined;
    const configFromStates = () => (bothStates ? diffConfigKeys(oldInputs.config, newInputs.config) : undefined);

    for (const name of changedPropertyNames(step, oldInputs, newInputs, bothStates)) {
        if (connector && name === "config") config = configFromStates() ?? config;
        else if (!INTERNAL_PROPERTIES.includes(name) && !replaceOn.includes(name) && !properties.has(name)) {
            properties.set(name, propertyNote(name, oldInputs, newInputs));
        }
    }
    if (connector && config === undefined && bothStates && !replaceOn.includes("config")) {
        const computed = configFromStates();
        if (computed && (computed.opaque || computed.added.length + computed.removed.length + computed.changed.length > 0))
            config = computed;
    }
    const result: StepChanges = { replaceOn, properties: [...properties].map(([name, note]) => ({ name, note })), config };
    const nothing =
        replaceOn.length === 0 &&
        properties.size === 0 &&
        (!config || (!config.opaque && config.added.length + config.removed.length + config.changed.length === 0));
    if (nothing && bothStates && (step.op === "update" || step.op === "replace")) {
        result.noInputChange = comparable(oldInputs.__provider) !== comparable(newInputs.__provider) ? "provider-code" : "provider";
    }
    return result;
}
