// Turns `pulumi preview --json` into a short Markdown summary for a pull-request comment: change counts,
// a capped table of the resources that change (for Connectors, which config keys), and the errors and
// warnings. It prints names, types, operations and property/config KEYS only, never a property value, so
// neither secrets (`[secret]`, secret signature objects) nor plain config values can leak into a comment.
//
//   pulumi preview --json --stack local > preview.json
//   npx ts-node --transpile-only scripts/previewSummary.ts --stack local preview.json
//   pulumi preview --json --stack local | npx ts-node --transpile-only scripts/previewSummary.ts
//
// What the real JSON looks like for this project (Pulumi 3.260, dynamic providers): every step has
// `detailedDiff: null` and no `diffReasons` (the dynamic provider's diff returns only `changes`/`replaces`),
// replacements carry `replaceReasons`, secrets in `oldState`/`newState` are the string "[secret]". So the
// changed properties and Connector config keys are computed from `oldState.inputs` vs `newState.inputs`;
// `detailedDiff` paths (`config["poll.interval.ms"]`, `config.poll.interval.ms`) are used when a provider
// returns them.
import * as fs from "node:fs";
import { UNKNOWN } from "../core/unknown";

export interface SummaryOptions {
    /** Stack name for the heading (default: read from the URNs). */
    stack?: string;
    /** Rows of the resource table (default 25); the rest are counted. */
    maxRows?: number;
    /** Config keys listed per Connector (default 12). */
    maxKeys?: number;
    /** Errors and warnings listed (default 10). */
    maxDiagnostics?: number;
    /** Lines and characters kept of each diagnostic message (default 8 and 600). */
    maxMessageLines?: number;
    maxMessageChars?: number;
    /** Literal strings to mask wherever they would appear (e.g. known passwords). */
    redact?: string[];
}

interface PropertyDiff {
    kind?: string;
    inputDiff?: boolean;
}

interface StateLike {
    type?: string;
    inputs?: Record<string, unknown>;
}

interface PreviewStep {
    op?: string;
    urn?: string;
    oldState?: StateLike | null;
    newState?: StateLike | null;
    diffReasons?: string[] | null;
    replaceReasons?: string[] | null;
    detailedDiff?: Record<string, PropertyDiff> | null;
}

interface PreviewDiagnostic {
    urn?: string;
    prefix?: string;
    message?: string;
    severity?: string;
}

interface PreviewJson {
    steps?: PreviewStep[] | null;
    diagnostics?: PreviewDiagnostic[] | null;
    changeSummary?: Record<string, number> | null;
    duration?: number;
    maybeCorrupt?: boolean;
}

/** Pulumi's marker of a secret value in serialized state (with `plaintext` or `ciphertext` beside it). */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Pulumi's marker of a value not known until apply. */
/** Inputs that hold credentials whatever they contain: only their name is ever shown. */
const SENSITIVE_PROPERTIES: readonly string[] = ["sensitiveConfig", "auth", "secrets", "connection"];
/** Properties the engine adds that say nothing about the resource (dynamic provider source text). */
const INTERNAL_PROPERTIES: readonly string[] = ["__provider"];

const OP_LABELS: Record<string, string> = {
    create: "+ create",
    update: "~ update",
    delete: "- delete",
    replace: "+- replace",
    "create-replacement": "++ create replacement",
    "delete-replaced": "-- delete replaced",
    import: "= import",
    "import-replacement": "=> import replacement",
    "read-replacement": ">> read replacement",
    refresh: "~ refresh",
    discard: "- discard",
    "discard-replaced": "- discard replaced",
    "remove-pending-replace": "- remove pending replace",
};
/** Ops that change nothing: left out of the table (still counted). */
const QUIET_OPS: readonly string[] = ["same", "read"];
/** Riskier first, so the rows that matter survive the cap. */
const OP_ORDER: readonly string[] = ["replace", "create-replacement", "delete-replaced", "delete", "discard", "discard-replaced", "update", "refresh", "create", "import", "import-replacement"];
const COUNT_LABELS: [string, string][] = [
    ["create", "to create"],
    ["update", "to update"],
    ["replace", "to replace"],
    ["delete", "to delete"],
    ["same", "unchanged"],
];

export function isSecretValue(value: unknown): boolean {
    return value === "[secret]" || (isRecord(value) && value[SECRET_SIG_KEY] === SECRET_SIG);
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** URN `urn:pulumi:<stack>::<project>::<parent$...$type>::<name>` → its parts. */
export function parseUrn(urn: string): { stack: string; project: string; type: string; name: string } {
    const parts = urn.split("::");
    if (parts.length < 4) return { stack: "", project: "", type: "", name: urn };
    const qualified = parts[2];
    return {
        stack: parts[0].replace(/^urn:pulumi:/, ""),
        project: parts[1],
        type: qualified.slice(qualified.lastIndexOf("$") + 1),
        name: parts.slice(3).join("::"),
    };
}

/** `pulumi-nodejs:dynamic/tandem:Connector` → `Connector`; `tandem:index:X` → `X`; `kafka:index/topic:Topic` → `kafka:Topic`. */
export function shortType(type: string, project = "tandem"): string {
    if (type === "pulumi:pulumi:Stack") return "Stack";
    const provider = /^pulumi:providers:(.+)$/.exec(type);
    if (provider) return `provider:${provider[1]}`;
    const pkg = type.split(":")[0];
    const name = type.slice(type.lastIndexOf(":") + 1);
    if (pkg === "pulumi-nodejs" || pkg === project || pkg === "tandem") return name;
    return `${pkg}:${name}`;
}

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

interface ConfigKeyChanges {
    added: string[];
    removed: string[];
    changed: string[];
    /** The whole config is secret or unknown: keys cannot be listed. */
    opaque?: "secret" | "unknown";
}

interface StepChanges {
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
    if (isRecord(value)) return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortDeep(value[key])]));
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
        // Two secret values cannot be compared here; a changed secret shows through diffReasons/detailedDiff.
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

/** What changes in one step, as names and keys only. */
export function stepChanges(step: PreviewStep): StepChanges {
    const type = step.newState?.type ?? step.oldState?.type ?? parseUrn(step.urn ?? "").type;
    const connector = isConnector(type);
    const oldInputs = isRecord(step.oldState?.inputs) ? step.oldState!.inputs! : {};
    const newInputs = isRecord(step.newState?.inputs) ? step.newState!.inputs! : {};
    const bothStates = isRecord(step.oldState?.inputs) && isRecord(step.newState?.inputs);
    const replaceOn = [...new Set(step.replaceReasons ?? [])];
    const properties = new Map<string, string | undefined>();
    let config: ConfigKeyChanges | undefined;
    const addProperty = (name: string) => {
        if (INTERNAL_PROPERTIES.includes(name) || replaceOn.includes(name) || properties.has(name)) return;
        properties.set(name, propertyNote(name, oldInputs, newInputs));
    };
    const configFromStates = () => (bothStates ? diffConfigKeys(oldInputs.config, newInputs.config) : undefined);

    const detailed = isRecord(step.detailedDiff) ? Object.entries(step.detailedDiff) : [];
    if (detailed.length > 0) {
        for (const [path, diff] of detailed) {
            const segments = parsePropertyPath(path);
            if (segments.length === 0) continue;
            const top = segments[0].key;
            if (connector && top === "config") {
                if (segments.length === 1) {
                    config = configFromStates() ?? config;
                    continue;
                }
                const key = segments[1].quoted ? segments[1].key : segments.slice(1).map((segment) => segment.key).join(".");
                config ??= { added: [], removed: [], changed: [] };
                const kind = (diff?.kind ?? "update").replace(/-replace$/, "");
                (kind === "add" ? config.added : kind === "delete" ? config.removed : config.changed).push(key);
            } else {
                addProperty(top);
            }
        }
    } else {
        const reasons = step.diffReasons ?? [];
        const names = reasons.length > 0
            ? reasons
            : bothStates
              ? [...new Set([...Object.keys(oldInputs), ...Object.keys(newInputs)])].filter((key) => comparable(oldInputs[key]) !== comparable(newInputs[key]))
              : [];
        for (const name of names) {
            if (connector && name === "config") config = configFromStates() ?? config;
            else addProperty(name);
        }
        if (connector && config === undefined && bothStates && !replaceOn.includes("config")) {
            const computed = configFromStates();
            if (computed && (computed.opaque || computed.added.length + computed.removed.length + computed.changed.length > 0)) config = computed;
        }
    }
    if (config) {
        config.added = [...new Set(config.added)].sort();
        config.removed = [...new Set(config.removed)].sort();
        config.changed = [...new Set(config.changed)].sort();
    }
    const result: StepChanges = { replaceOn, properties: [...properties].map(([name, note]) => ({ name, note })), config };
    const nothing = replaceOn.length === 0 && properties.size === 0 && (!config || (!config.opaque && config.added.length + config.removed.length + config.changed.length === 0));
    if (nothing && bothStates && (step.op === "update" || step.op === "replace")) {
        result.noInputChange = comparable(oldInputs.__provider) !== comparable(newInputs.__provider) ? "provider-code" : "provider";
    }
    return result;
}

// ---- Markdown helpers ----

/** Inline text: no HTML, no emphasis, no table breaks, no @-mentions. */
function escapeText(text: string): string {
    return text
        .replace(/[\\`*_[\]<>|~]/g, (char) => `\\${char}`)
        .replace(/@(?=\w)/g, "@\u200b")
        .replace(/\r?\n/g, " ");
}

/** A code span safe inside a table cell. */
function code(text: string): string {
    const clean = text.replace(/`/g, "'").replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
    return `\`${clean}\``;
}

function truncate(text: string, max: number): string {
    return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

function listKeys(keys: string[], budget: { left: number }): string {
    const shown = keys.slice(0, Math.max(0, budget.left));
    budget.left -= shown.length;
    return shown.map((key) => code(truncate(key, 80))).join(", ");
}

function renderChanges(step: PreviewStep, changes: StepChanges, maxKeys: number): string {
    const parts: string[] = [];
    if (changes.replaceOn.length > 0) parts.push(`**replace** on ${changes.replaceOn.map(code).join(", ")}`);
    const config = changes.config;
    if (config?.opaque) {
        parts.push(`config (${config.opaque === "secret" ? "secret: keys hidden" : "known after apply"})`);
    } else if (config) {
        const budget = { left: maxKeys };
        const groups: string[] = [];
        if (config.changed.length) groups.push(`changed ${listKeys(config.changed, budget)}`);
        if (config.added.length && budget.left > 0) groups.push(`added ${listKeys(config.added, budget)}`);
        if (config.removed.length && budget.left > 0) groups.push(`removed ${listKeys(config.removed, budget)}`);
        const total = config.changed.length + config.added.length + config.removed.length;
        const hidden = total - Math.min(total, maxKeys);
        if (groups.length) parts.push(`config: ${groups.join("; ")}${hidden > 0 ? ` (+${hidden} more keys)` : ""}`);
    }
    if (changes.properties.length > 0) {
        parts.push(changes.properties.map(({ name, note }) => `${code(truncate(name, 80))}${note ? ` (${note})` : ""}`).join(", "));
    }
    if (changes.noInputChange === "provider-code") parts.push("no input change (provider code changed)");
    if (changes.noInputChange === "provider") parts.push("no input change (the provider reports drift, e.g. failed tasks)");
    if (parts.length === 0) return step.op === "create" || step.op === "delete" ? "" : "—";
    // One line per part (GitHub renders <br> inside table cells).
    return truncate(parts.join("<br>"), 700);
}

const ANSI = /\u001b\[[0-9;]*m/g;

/** Masks credentials in free text: given literals, `password=…`-style pairs, URL user info, SQL IDENTIFIED BY. */
export function redactText(text: string, literals: string[] = []): string {
    let out = text.replace(ANSI, "");
    for (const literal of [...literals].filter((value) => value && value.length >= 4).sort((a, b) => b.length - a.length)) {
        out = out.split(literal).join("[redacted]");
    }
    return out
        .replace(/((?:password|passwd|pwd|secret|token|api[_-]?key|credentials?)["']?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;}&)]+)/gi, "$1[redacted]")
        .replace(/(\/\/[^/\s:@]+:)[^@\s/]+@/g, "$1[redacted]@")
        .replace(/(IDENTIFIED\s+BY\s+(?:PASSWORD\s+)?)('[^']*'|"[^"]*"|\S+)/gi, "$1[redacted]");
}

function formatDuration(ns: number | undefined): string | undefined {
    if (typeof ns !== "number" || !(ns > 0)) return undefined;
    const seconds = ns / 1e9;
    return seconds < 60 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** Markdown summary of a `pulumi preview --json` document. */
export function summarizePreview(preview: object, options: SummaryOptions = {}): string {
    if (!isRecord(preview)) throw new TypeError("summarizePreview expects the object printed by `pulumi preview --json`");
    const doc = preview as PreviewJson;
    const maxRows = options.maxRows ?? 25;
    const maxKeys = options.maxKeys ?? 12;
    const maxDiagnostics = options.maxDiagnostics ?? 10;
    const maxLines = options.maxMessageLines ?? 8;
    const maxChars = options.maxMessageChars ?? 600;
    const redact = options.redact ?? [];
    const steps = (Array.isArray(doc.steps) ? doc.steps : []).filter((step): step is PreviewStep => isRecord(step) && typeof step.urn === "string");
    const firstUrn = steps.find((step) => step.urn)?.urn;
    const stack = options.stack ?? (firstUrn ? parseUrn(firstUrn).stack : "") ?? "";
    const project = firstUrn ? parseUrn(firstUrn).project : "tandem";

    // Diagnostics first: errors change the status line.
    const diagnostics = (Array.isArray(doc.diagnostics) ? doc.diagnostics : []).filter(isRecord) as PreviewDiagnostic[];
    const seen = new Set<string>();
    const listed: { severity: "error" | "warning"; where?: string; lines: string[] }[] = [];
    let infos = 0;
    for (const diagnostic of diagnostics) {
        const severity = diagnostic.severity === "error" ? "error" : diagnostic.severity === "warning" ? "warning" : undefined;
        if (!severity) {
            infos++;
            continue;
        }
        const message = redactText(`${diagnostic.message ?? ""}`, redact)
            .replace(/^\s*(error|warning):\s*/i, "")
            .replace(/\s+$/, "");
        const where = diagnostic.urn ? `${shortType(parseUrn(diagnostic.urn).type, project)} ${parseUrn(diagnostic.urn).name}` : undefined;
        const dedupe = `${severity}\u0000${where}\u0000${message}`;
        if (seen.has(dedupe)) continue;
        seen.add(dedupe);
        listed.push({ severity, where, lines: message.split(/\r?\n/) });
    }
    const errors = listed.filter((entry) => entry.severity === "error").length;
    const warnings = listed.length - errors;

    const out: string[] = [];
    out.push(`### Pulumi preview: ${stack ? code(stack) : "(unknown stack)"}`, "");

    // Counts.
    const summary: Record<string, number> = {};
    if (isRecord(doc.changeSummary)) {
        for (const [op, count] of Object.entries(doc.changeSummary)) if (typeof count === "number") summary[op] = count;
    } else {
        for (const step of steps) summary[step.op ?? "?"] = (summary[step.op ?? "?"] ?? 0) + 1;
    }
    const counts = COUNT_LABELS.map(([op, label]) => {
        const text = `${summary[op] ?? 0} ${label}`;
        return (summary[op] ?? 0) > 0 && op !== "same" ? `**${text}**` : text;
    });
    for (const [op, count] of Object.entries(summary)) {
        if (!COUNT_LABELS.some(([known]) => known === op) && count > 0) counts.push(`${count} ${escapeText(op)}`);
    }
    const changing = Object.entries(summary).filter(([op, count]) => !QUIET_OPS.includes(op) && count > 0).length > 0;
    if (errors > 0) out.push(`**Preview failed** with ${errors} error${errors === 1 ? "" : "s"}: the changes below are incomplete.`, "");
    else if (!changing) out.push("No changes.", "");
    out.push(counts.join(" · "), "");
    if (doc.maybeCorrupt) out.push("**Warning:** Pulumi reports that one or more resources may be corrupt.", "");

    // Changed resources: one row per URN (a replace may also appear as create-replacement/delete-replaced).
    const byUrn = new Map<string, PreviewStep>();
    for (const step of steps) {
        const op = step.op ?? "?";
        if (QUIET_OPS.includes(op)) continue;
        const previous = byUrn.get(step.urn!);
        if (!previous || op === "replace") byUrn.set(step.urn!, step);
    }
    const rank = (op: string) => (OP_ORDER.indexOf(op) === -1 ? OP_ORDER.length : OP_ORDER.indexOf(op));
    const rows = [...byUrn.values()].map((step, index) => ({ step, index })).sort((a, b) => rank(a.step.op ?? "") - rank(b.step.op ?? "") || a.index - b.index);
    if (rows.length > 0) {
        out.push("| Op | Type | Name | What changes |", "|---|---|---|---|");
        for (const { step } of rows.slice(0, maxRows)) {
            const urn = parseUrn(step.urn!);
            const type = shortType(step.newState?.type ?? step.oldState?.type ?? urn.type, project);
            const op = step.op ?? "?";
            const label = OP_LABELS[op] ?? op;
            out.push(`| ${code(label)} | ${escapeText(type)} | ${code(truncate(urn.name, 120))} | ${renderChanges(step, stepChanges(step), maxKeys)} |`);
        }
        if (rows.length > maxRows) {
            const hidden = rows.slice(maxRows);
            const byOp = new Map<string, number>();
            for (const { step } of hidden) byOp.set(step.op ?? "?", (byOp.get(step.op ?? "?") ?? 0) + 1);
            out.push("", `…and ${hidden.length} more resource change${hidden.length === 1 ? "" : "s"} not shown (${[...byOp].map(([op, n]) => `${n} ${op}`).join(", ")}).`);
        }
        out.push("");
    }

    // Diagnostics.
    if (listed.length > 0) {
        out.push(`**Diagnostics:** ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`, "");
        for (const entry of listed.slice(0, maxDiagnostics)) {
            const lines = entry.lines.filter((line, index) => index === 0 || line.trim() !== "");
            const text = truncate(lines[0] ?? "", maxChars);
            let budget = maxChars - text.length;
            const rest: string[] = [];
            for (const line of lines.slice(1, maxLines)) {
                if (budget <= 0) break;
                const kept = truncate(line, budget);
                rest.push(kept);
                budget -= kept.length;
            }
            const dropped = lines.length - 1 - rest.length;
            out.push(`- **${entry.severity}**${entry.where ? ` (${escapeText(entry.where)})` : ""}: ${escapeText(text)}`);
            if (rest.length > 0) {
                const body = rest.join("\n");
                const fence = "`".repeat(Math.max(3, ...[...body.matchAll(/`+/g)].map((match) => match[0].length + 1)));
                out.push(`  ${fence}text`, ...rest.map((line) => `  ${line}`), `  ${fence}`);
            }
            if (dropped > 0) out.push(`  (${dropped} more line${dropped === 1 ? "" : "s"})`);
        }
        if (listed.length > maxDiagnostics) out.push(`- …and ${listed.length - maxDiagnostics} more`);
        out.push("");
    }
    const footer: string[] = [];
    if (infos > 0) footer.push(`${infos} info message${infos === 1 ? "" : "s"} not shown`);
    const took = formatDuration(doc.duration);
    if (took) footer.push(`preview took ${took}`);
    if (stack) footer.push(`details: \`pulumi preview --diff --stack ${stack.replace(/`/g, "'")}\``);
    if (footer.length > 0) out.push(`<sub>${footer.join(" · ")}</sub>`);
    // A last guard for GitHub's 65536-character comment limit.
    const markdown = out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
    return markdown.length <= 60000 ? markdown : `${markdown.slice(0, 59900)}\n\n…(summary cut at 60000 characters)\n`;
}

/** Reads the preview JSON; tolerates text around the JSON object (e.g. stderr merged into stdout). */
export function parsePreviewJson(text: string): object {
    try {
        return JSON.parse(text);
    } catch (error) {
        const start = text.indexOf("{");
        const end = text.lastIndexOf("}");
        if (start !== -1 && end > start) {
            try {
                return JSON.parse(text.slice(start, end + 1));
            } catch {
                // fall through to the original error
            }
        }
        throw new Error(`not the JSON of \`pulumi preview --json\`: ${(error as Error).message}`);
    }
}

const USAGE = `usage: previewSummary.ts [--stack <name>] [preview.json]
Reads \`pulumi preview --json\` output from the file (or stdin) and prints a Markdown summary.`;

export function main(argv: string[]): number {
    let stack: string | undefined;
    let file: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "-h" || arg === "--help") {
            process.stdout.write(`${USAGE}\n`);
            return 0;
        } else if (arg === "--stack" || arg === "-s") {
            stack = argv[++i];
            if (!stack) {
                process.stderr.write(`--stack needs a value\n${USAGE}\n`);
                return 2;
            }
        } else if (arg.startsWith("--stack=")) {
            stack = arg.slice("--stack=".length);
        } else if (arg.startsWith("-") && arg !== "-") {
            process.stderr.write(`unknown option ${arg}\n${USAGE}\n`);
            return 2;
        } else if (file === undefined) {
            file = arg;
        } else {
            process.stderr.write(`one input file only\n${USAGE}\n`);
            return 2;
        }
    }
    try {
        const text = fs.readFileSync(file === undefined || file === "-" ? 0 : file, "utf8");
        if (text.trim() === "") throw new Error("empty input: the preview printed nothing (see its stderr)");
        process.stdout.write(summarizePreview(parsePreviewJson(text), { stack }));
        return 0;
    } catch (error) {
        process.stderr.write(`previewSummary: ${(error as Error).message}\n`);
        return 1;
    }
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
