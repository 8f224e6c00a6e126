// The Markdown comment for one stack's preview: heading, change counts, a capped table of the resources that
// change and what changes in each, then the diagnostics. Names, types, operations and keys only, never a value.
import { collectDiagnostics, renderDiagnostics } from "./diagnostics";
import { StepChanges, stepChanges } from "./diff";
import { code, escapeText, truncate } from "./markdown";
import { isRecord, parseUrn, PreviewJson, PreviewStep, readSteps, shortType } from "./read";

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
const OP_ORDER: readonly string[] = [
    "replace",
    "create-replacement",
    "delete-replaced",
    "delete",
    "discard",
    "discard-replaced",
    "update",
    "refresh",
    "create",
    "import",
    "import-replacement",
];
const COUNT_LABELS: [string, string][] = [
    ["create", "to create"],
    ["update", "to update"],
    ["replace", "to replace"],
    ["delete", "to delete"],
    ["same", "unchanged"],
];

function listKeys(keys: string[], budget: { left: number }): string {
    const shown = keys.slice(0, Math.max(0, budget.left));
    budget.left -= shown.length;
    return shown.map((key) => code(truncate(key, 80))).join(", ");
}

/** The "What changes" cell of one row. */
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

/** Operation → number of resources: the preview's changeSummary, else counted from the steps. */
function countChanges(doc: PreviewJson, steps: PreviewStep[]): Record<string, number> {
    const summary: Record<string, number> = {};
    if (isRecord(doc.changeSummary)) {
        for (const [op, count] of Object.entries(doc.changeSummary)) if (typeof count === "number") summary[op] = count;
    } else {
        for (const step of steps) summary[step.op ?? "?"] = (summary[step.op ?? "?"] ?? 0) + 1;
    }
    return summary;
}

/** `0 to create · **3 to update** · …`, then any other operation that occurs. */
function renderCounts(summary: Record<string, number>): string {
    const counts = COUNT_LABELS.map(([op, label]) => {
        const text = `${summary[op] ?? 0} ${label}`;
        return (summary[op] ?? 0) > 0 && op !== "same" ? `**${text}**` : text;
    });
    for (const [op, count] of Object.entries(summary)) {
        if (!COUNT_LABELS.some(([known]) => known === op) && count > 0) counts.push(`${count} ${escapeText(op)}`);
    }
    return counts.join(" · ");
}

/** The table of changing resources, riskiest first, capped at maxRows (none when nothing changes). */
function renderTable(steps: PreviewStep[], project: string, maxRows: number, maxKeys: number): string[] {
    // One row per URN (a replace may also appear as create-replacement/delete-replaced).
    const byUrn = new Map<string, PreviewStep>();
    for (const step of steps) {
        const op = step.op ?? "?";
        if (QUIET_OPS.includes(op)) continue;
        const previous = byUrn.get(step.urn!);
        if (!previous || op === "replace") byUrn.set(step.urn!, step);
    }
    const rank = (op: string) => (OP_ORDER.indexOf(op) === -1 ? OP_ORDER.length : OP_ORDER.indexOf(op));
    const rows = [...byUrn.values()]
        .map((step, index) => ({ step, index }))
        .sort((a, b) => rank(a.step.op ?? "") - rank(b.step.op ?? "") || a.index - b.index);
    if (rows.length === 0) return [];
    const out = ["| Op | Type | Name | What changes |", "|---|---|---|---|"];
    for (const { step } of rows.slice(0, maxRows)) {
        const urn = parseUrn(step.urn!);
        const type = shortType(step.newState?.type ?? step.oldState?.type ?? urn.type, project);
        const op = step.op ?? "?";
        const label = OP_LABELS[op] ?? op;
        out.push(
            `| ${code(label)} | ${escapeText(type)} | ${code(truncate(urn.name, 120))} | ${renderChanges(step, stepChanges(step), maxKeys)} |`,
        );
    }
    if (rows.length > maxRows) {
        const hidden = rows.slice(maxRows);
        const byOp = new Map<string, number>();
        for (const { step } of hidden) byOp.set(step.op ?? "?", (byOp.get(step.op ?? "?") ?? 0) + 1);
        out.push(
            "",
            `…and ${hidden.length} more resource change${hidden.length === 1 ? "" : "s"} not shown (${[...byOp].map(([op, n]) => `${n} ${op}`).join(", ")}).`,
        );
    }
    out.push("");
    return out;
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
    const steps = readSteps(doc);
    const firstUrn = steps.find((step) => step.urn)?.urn;
    const stack = options.stack ?? (firstUrn ? parseUrn(firstUrn).stack : "");
    const project = firstUrn ? parseUrn(firstUrn).project : "tandem";
    // Diagnostics first: errors change the status line.
    const diagnostics = collectDiagnostics(doc, project, options.redact ?? []);

    const out: string[] = [];
    out.push(`### Pulumi preview: ${stack ? code(stack) : "(unknown stack)"}`, "");
    const summary = countChanges(doc, steps);
    const changing = Object.entries(summary).filter(([op, count]) => !QUIET_OPS.includes(op) && count > 0).length > 0;
    const { errors } = diagnostics;
    if (errors > 0) out.push(`**Preview failed** with ${errors} error${errors === 1 ? "" : "s"}: the changes below are incomplete.`, "");
    else if (!changing) out.push("No changes.", "");
    out.push(renderCounts(summary), "");
    if (doc.maybeCorrupt) out.push("**Warning:** Pulumi reports that one or more resources may be corrupt.", "");
    out.push(...renderTable(steps, project, options.maxRows ?? 25, options.maxKeys ?? 12));
    out.push(...renderDiagnostics(diagnostics, options.maxDiagnostics ?? 10, options.maxMessageLines ?? 8, options.maxMessageChars ?? 600));

    const footer: string[] = [];
    if (diagnostics.infos > 0) footer.push(`${diagnostics.infos} info message${diagnostics.infos === 1 ? "" : "s"} not shown`);
    const took = formatDuration(doc.duration);
    if (took) footer.push(`preview took ${took}`);
    if (stack) footer.push(`details: \`pulumi preview --diff --stack ${stack.replace(/`/g, "'")}\``);
    if (footer.length > 0) out.push(`<sub>${footer.join(" · ")}</sub>`);
    // A last guard for GitHub's 65536-character comment limit.
    const markdown =
        out
            .join("\n")
            .replace(/\n{3,}/g, "\n\n")
            .trimEnd() + "\n";
    return markdown.length <= 60000 ? markdown : `${markdown.slice(0, 59900)}\n\n…(summary cut at 60000 characters)\n`;
}
