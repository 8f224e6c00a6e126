// A connector definition from a file, as `deploy` and `validate` take it: Connect's own shape
// `{"name": …, "config": {…}}` (the old tool's files), or a bare config holding `name`. A malformed file is
// answered with its line and column; values are sent as strings, as Connect stores them.
import * as fs from "fs";
import { ValidationAnswer } from "../connectors/connectorModel";
import { CliError, UsageError } from "./errors";
import { Session } from "./session";

export interface ConnectorFile {
    name: string;
    config: Record<string, string>;
}

/** Line and column (1-based) of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
    const before = text.slice(0, offset).split("\n");
    return { line: before.length, column: before[before.length - 1].length + 1 };
}

export function parseConnectorFile(file: string, text: string): ConnectorFile {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (error) {
        const message = (error as Error).message;
        const position = /position (\d+)/.exec(message);
        const where = /line (\d+) column (\d+)/.exec(message);
        const at = where
            ? { line: Number(where[1]), column: Number(where[2]) }
            : position
              ? lineAndColumn(text, Number(position[1]))
              : lineAndColumn(text, text.length);
        throw new CliError(
            `${file}:${at.line}:${at.column}: not valid JSON: ${message.replace(/\s*\(line \d+ column \d+\)/, "").replace(/ in JSON at position \d+/, "")}`,
        );
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        throw new CliError(`${file}: expected a JSON object {"name": …, "config": {…}}`);
    const object = parsed as Record<string, unknown>;
    const rawConfig = (typeof object.config === "object" && object.config !== null ? object.config : object) as Record<string, unknown>;
    const name = typeof object.name === "string" ? object.name : typeof rawConfig.name === "string" ? rawConfig.name : undefined;
    if (!name) throw new CliError(`${file}: no connector name (a "name" key next to "config", or inside it)`);
    const config: Record<string, string> = {};
    const problems: string[] = [];
    for (const [key, value] of Object.entries(rawConfig)) {
        if (value === null || typeof value === "object") problems.push(`config["${key}"]: must be a string, number or boolean`);
        else config[key] = String(value);
    }
    if (!config["connector.class"]) problems.push(`config["connector.class"]: missing`);
    if (problems.length) throw new CliError(`${file}: ${problems.join("; ")}`);
    return { name, config: { ...config, name } };
}

export function readConnectorFile(file: string): ConnectorFile {
    if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
    return parseConnectorFile(file, fs.readFileSync(file, "utf8"));
}

/**
 * Connect's validation by the plugin's own rules (the answer, which types each key, and its errors as
 * `key: error` lines, empty when valid). Connect does not store what it validates: secrets may be in it.
 */
export async function validateConnectorFile(
    session: Session,
    definition: ConnectorFile,
): Promise<{ answer: ValidationAnswer; errors: string[] }> {
    const answer: ValidationAnswer = await session.connect().validate(definition.config["connector.class"], definition.config);
    const errors = (answer.configs ?? []).flatMap((entry) =>
        (entry.value?.errors ?? []).map((error) => `${entry.value?.name ?? entry.definition?.name}: ${error}`),
    );
    return { answer, errors };
}

/** Connect's validation errors as `key: error` lines (empty when valid). */
export async function validationErrors(session: Session, definition: ConnectorFile): Promise<string[]> {
    return (await validateConnectorFile(session, definition)).errors;
}
