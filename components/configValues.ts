// Pure: reading one raw config value (string, port, choice, list) and collecting what is wrong with it, so that
// validateSettings names every bad key in one error.

/** Raw config values as strings/JSON, keyed by their name without the `tandem:` namespace. */
export type RawSettings = Record<string, unknown>;

export class Errors {
    readonly list: string[] = [];
    add(key: string, reason: string): void {
        this.list.push(`tandem:${key} ${reason}`);
    }
}

export function str(raw: RawSettings, key: string, errors: Errors, check?: (value: string) => string | undefined): string {
    const value = raw[key];
    if (value === undefined || value === null || value === "") {
        errors.add(key, "is required");
        return "";
    }
    const text = String(value);
    const problem = check?.(text);
    if (problem) errors.add(key, problem);
    return text;
}

export function port(raw: RawSettings, key: string, errors: Errors): number {
    const value = Number(raw[key]);
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
        errors.add(key, `must be a TCP port (1-65535), got ${JSON.stringify(raw[key])}`);
    }
    return value;
}

export function oneOf<T extends string>(allowed: readonly T[]) {
    return (value: string) => (allowed.includes(value as T) ? undefined : `must be one of ${allowed.join(", ")}, got "${value}"`);
}

/** Pulumi config must give optional keys a default: "" and 0 stand for "not set". */
export function isUnset(value: unknown): boolean {
    return value === undefined || value === null || value === "" || value === 0 || value === "0";
}

export function parseList(value: unknown, key: string, errors: Errors, pattern: RegExp): string[] {
    if (value === undefined || value === null || value === "") return [];
    let list: unknown = value;
    if (typeof value === "string") {
        try {
            list = JSON.parse(value);
        } catch {
            errors.add(key, "must be a list");
            return [];
        }
    }
    if (!Array.isArray(list)) {
        errors.add(key, "must be a list");
        return [];
    }
    for (const item of list) {
        if (typeof item !== "string" || !pattern.test(item)) errors.add(key, `has an invalid entry ${JSON.stringify(item)}`);
    }
    if (new Set(list).size !== list.length) errors.add(key, "lists an entry twice");
    return list as string[];
}
