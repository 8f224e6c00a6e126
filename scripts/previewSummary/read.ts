// Reads what `pulumi preview --json` prints: the JSON object (with any noise around it), its steps and
// diagnostics, and the URNs and type tokens that name their resources.
export interface StateLike {
    type?: string;
    inputs?: Record<string, unknown>;
}

export interface PreviewStep {
    op?: string;
    urn?: string;
    oldState?: StateLike | null;
    newState?: StateLike | null;
    diffReasons?: string[] | null;
    replaceReasons?: string[] | null;
    /** Property paths → kind of change; only the paths are read. Null for our dynamic providers' steps. */
    detailedDiff?: Record<string, unknown> | null;
}

export interface PreviewDiagnostic {
    urn?: string;
    prefix?: string;
    message?: string;
    severity?: string;
}

export interface PreviewJson {
    steps?: PreviewStep[] | null;
    diagnostics?: PreviewDiagnostic[] | null;
    changeSummary?: Record<string, number> | null;
    duration?: number;
    maybeCorrupt?: boolean;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
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
        throw new Error(`not the JSON of \`pulumi preview --json\`: ${(error as Error).message}`, { cause: error });
    }
}

/** The steps that name a resource; anything else in `steps` is ignored. */
export function readSteps(doc: PreviewJson): PreviewStep[] {
    return (Array.isArray(doc.steps) ? doc.steps : []).filter(
        (step): step is PreviewStep => isRecord(step) && typeof step.urn === "string",
    );
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
