// Pure: what preflight reports, by kind. Each kind says what the sync does about it at run time, so that the
// preview output, the docs' mapping table and `tandem:acceptRisks` use one vocabulary.

/**
 * - refused: the sync cannot run this way; change the schema or exclude the table;
 * - mapped: values are carried with a documented mapping (accept it, or change the type);
 * - quarantined: values the receiving column refuses go to the dead-letter topic, everything else flows.
 */
export type Outcome = "refused" | "mapped" | "quarantined";

export interface RiskKind {
    outcome: Outcome;
    /** Short title used when findings are grouped. */
    title: string;
    /** A refusal that `tandem:acceptRisks` may turn into a documented mapping. */
    acceptable?: boolean;
    /** The way out, for warnings (refusals carry theirs in each message). */
    fix?: string;
}

export const RISKS = {
    // Refused: the table cannot be synced as declared.
    "server-setting": { outcome: "refused", title: "server not set up for CDC" },
    "cascade-outside-sync": { outcome: "refused", title: "MySQL cascade from a table that is not synced" },
    "missing-table": { outcome: "refused", title: "table missing on one side" },
    "no-primary-key": { outcome: "refused", title: "no primary key" },
    "key-mismatch": { outcome: "refused", title: "primary keys differ" },
    "missing-column": { outcome: "refused", title: "column on one side only" },
    "unsupported-type": { outcome: "refused", title: "type not supported" },
    "incompatible-types": { outcome: "refused", title: "types do not carry the same values" },
    "numeric-without-precision": { outcome: "refused", title: "numeric without precision" },
    "key-generation": { outcome: "refused", title: "generated keys not disjoint" },
    "key-collation": { outcome: "refused", title: "key equality differs between the engines" },
    "identity-always": { outcome: "refused", title: "GENERATED ALWAYS identity refuses the sync's writes" },
    "computed-one-side": { outcome: "refused", title: "generated column on one side only" },
    "topic-collision": { outcome: "refused", title: "two tables map to one Kafka topic name" },
    "lookup-ambiguity": { outcome: "refused", title: "table name is a LIKE pattern matching another table" },
    "name-whitespace": { outcome: "refused", title: "name starts or ends with a space (the JDBC sink trims it)" },
    "name-quote": { outcome: "refused", title: "name holds a quote character the JDBC sink does not escape" },
    // Refused unless accepted: a documented mapping that changes values.
    "numeric-scale": { outcome: "mapped", title: "fewer decimal places on one side (values rounded)", acceptable: true },
    "float-precision": { outcome: "mapped", title: "single vs double precision floats (values rounded)", acceptable: true },
    "fraction-precision": { outcome: "mapped", title: "fewer fractional-second digits on one side (values cut)", acceptable: true },
    // Mapped as documented.
    "zero-dates": {
        outcome: "mapped",
        title: "MySQL zero dates travel as NULL",
        fix: "nothing if NULL is right; a NOT NULL PostgreSQL column must become nullable",
    },
    "key-collation-approximate": {
        outcome: "mapped",
        title: "case-insensitive string key on both sides (its spelling travels; trailing spaces differ)",
        fix: "exact collations on both sides remove the difference",
    },
    // Quarantined at run time.
    "time-range": {
        outcome: "quarantined",
        title: "MySQL TIME outside 00:00:00–24:00:00",
        fix: "keep the times within a day, or exclude the table",
    },
    "date-range": {
        outcome: "quarantined",
        title: "PostgreSQL dates/timestamps outside MySQL's range (incl. ±infinity)",
        fix: "keep PostgreSQL's values within MySQL's range (DATETIME rather than TIMESTAMP for dates past 2038)",
    },
    "numeric-range": { outcome: "quarantined", title: "numbers out of the other side's range", fix: "widen the narrower column" },
    "float-special": {
        outcome: "quarantined",
        title: "NaN/±Infinity (MySQL has none)",
        fix: "keep them out of PostgreSQL's column (a CHECK)",
    },
    "text-length": { outcome: "quarantined", title: "strings longer than the other side's column", fix: "widen the shorter column" },
    "binary-length": { outcome: "quarantined", title: "bytes longer than the other side's column", fix: "widen the shorter column" },
    charset: {
        outcome: "quarantined",
        title: "characters MySQL's column charset cannot store",
        fix: "convert the MySQL column to utf8mb4",
    },
    "nul-character": {
        outcome: "quarantined",
        title: "NUL characters (PostgreSQL refuses them)",
        fix: "nothing unless the legacy app writes NUL characters",
    },
    "enum-values": {
        outcome: "quarantined",
        title: "values outside the other side's ENUM/SET/enum",
        fix: "the same options on both sides (a CHECK or enum type in PostgreSQL)",
    },
    "boolean-values": {
        outcome: "quarantined",
        title: "TINYINT(1) values other than 0/1 facing a boolean",
        fix: "a smallint in PostgreSQL if MySQL stores other numbers",
    },
    "unique-one-side": {
        outcome: "quarantined",
        title: "unique key on one side only (or with another collation)",
        fix: "the same unique key, with the same equality, on both sides",
    },
    "cascade-on-update": {
        outcome: "quarantined",
        title: "MySQL ON UPDATE CASCADE does not reach the other side",
        fix: "ON UPDATE RESTRICT, or never update the parent's key",
    },
    "row-size": {
        outcome: "quarantined",
        title: "rows larger than tandem:maxRowBytes",
        fix: "raise tandem:maxRowBytes (and MySQL's max_allowed_packet) if rows grow larger",
    },
} as const satisfies Record<string, RiskKind>;

export type RiskCode = keyof typeof RISKS;

export interface Finding {
    code: RiskCode;
    /** `table` or `table.column`; empty for server settings. */
    subject: string;
    /** What is wrong and the way out, naming the subject. */
    message: string;
}

/** Whether a finding stops preview: refusals do, unless accepted where acceptance is allowed. */
export function blocks(finding: Finding, accepted: (finding: Finding) => boolean): boolean {
    const kind: RiskKind = RISKS[finding.code];
    if (kind.outcome === "refused") return true;
    return kind.acceptable === true && !accepted(finding);
}

/**
 * `tandem:acceptRisks` entries: `<code>` (everywhere) or `<table>.<column>:<code>`, `*` matching any text in
 * the subject. Returns the predicate and the entries that name no known risk.
 */
export function acceptance(entries: string[]): { accepts: (finding: Finding) => boolean; unknown: string[] } {
    const rules = entries.map((entry) => {
        const at = entry.lastIndexOf(":");
        const code = at < 0 ? entry : entry.slice(at + 1);
        const subject = at < 0 ? "*" : entry.slice(0, at);
        const pattern = new RegExp(
            `^${subject
                .split("*")
                .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
                .join(".*")}$`,
            "su",
        );
        return { entry, code, pattern };
    });
    return {
        accepts: (finding) => rules.some((rule) => rule.code === finding.code && rule.pattern.test(finding.subject)),
        unknown: rules.filter((rule) => !(rule.code in RISKS)).map((rule) => rule.entry),
    };
}

/** Findings grouped by kind — title, outcome, the way out, then every subject — e.g. for warnings at preview. */
export function summarize(findings: Finding[]): string[] {
    const byCode = new Map<RiskCode, Finding[]>();
    for (const finding of findings) byCode.set(finding.code, [...(byCode.get(finding.code) ?? []), finding]);
    return [...byCode].map(([code, list]) => {
        const kind: RiskKind = RISKS[code];
        return `${kind.title} (${kind.outcome}; ${code})${kind.fix ? ` — ${kind.fix}` : ""}: ${list.map((finding) => finding.subject).join(", ")}`;
    });
}
