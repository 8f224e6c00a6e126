// The errors and warnings of a preview for the comment: each once, credentials masked, capped in number,
// lines and characters. Info messages are only counted.
import { escapeText, truncate } from "./markdown";
import { isRecord, parseUrn, PreviewDiagnostic, PreviewJson, shortType } from "./read";
import { redactText } from "./redact";

export interface ListedDiagnostic {
    severity: "error" | "warning";
    /** Short type and name of the resource it is about. */
    where?: string;
    lines: string[];
}

export interface Diagnostics {
    /** Errors and warnings, each once, in their order. */
    listed: ListedDiagnostic[];
    errors: number;
    warnings: number;
    /** Info messages (and any other severity), not listed. */
    infos: number;
}

/** The errors and warnings of the document, redacted and deduplicated. */
export function collectDiagnostics(doc: PreviewJson, project: string, redact: string[]): Diagnostics {
    const diagnostics = (Array.isArray(doc.diagnostics) ? doc.diagnostics : []).filter(isRecord) as PreviewDiagnostic[];
    const seen = new Set<string>();
    const listed: ListedDiagnostic[] = [];
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
    return { listed, errors, warnings: listed.length - errors, infos };
}

/** The Diagnostics section (none when there is nothing to list): the first line of each inline, the next ones fenced. */
export function renderDiagnostics(diagnostics: Diagnostics, maxDiagnostics: number, maxLines: number, maxChars: number): string[] {
    const { listed, errors, warnings } = diagnostics;
    if (listed.length === 0) return [];
    const out: string[] = [];
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
    return out;
}
