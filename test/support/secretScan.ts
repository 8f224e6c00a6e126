// Test support for secret scans: needles for each secret (the value, and its base64 forms at every alignment, so
// that a secret inside a longer base64 blob is found too), scans of buffers and files (streamed, any size), and
// where the sandbox's databases keep what they log: PostgreSQL's log and WAL, MariaDB's binlog. Findings name the
// secret by its label and show its context with the secret masked: a failing scan must not print the secret again.
import * as fs from "node:fs";
import * as path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { REPO_ROOT, Sandbox, stateDir } from "./sandbox";
import { mysqlQuery, postgresQuery } from "./syncStack";

const run = promisify(execFile);

/** One form of one secret to look for. */
export interface Needle {
    /** What the secret is (never its value), e.g. `tandem:mysqlPassword`. */
    label: string;
    /** `plain`, `base64@0` … (base64 of the secret after 0, 1 or 2 leading bytes), `base64url@…`. */
    form: string;
    bytes: Buffer;
}

export interface Finding {
    source: string;
    label: string;
    form: string;
    /** Byte offset in the source. */
    at: number;
    /** Text around the occurrence, the secret masked as «label». */
    context: string;
}

/**
 * The base64 text that encodes `secret` wherever it sits in a longer base64-encoded blob: for each of the three
 * alignments, the characters that depend on the secret's bytes only.
 */
export function base64Forms(secret: string): { form: string; text: string }[] {
    const bytes = Buffer.from(secret, "utf8");
    const forms: { form: string; text: string }[] = [];
    for (const lead of [0, 1, 2]) {
        const encoded = Buffer.concat([Buffer.alloc(lead), bytes]).toString("base64");
        const text = encoded.slice(Math.ceil((8 * lead) / 6), Math.floor((8 * (lead + bytes.length)) / 6));
        forms.push({ form: `base64@${lead}`, text });
        const url = text.replace(/\+/g, "-").replace(/\//g, "_");
        if (url !== text) forms.push({ form: `base64url@${lead}`, text: url });
    }
    return forms;
}

/** Needles for secrets given as label → value: the value itself and its base64 forms. */
export function needlesFor(secrets: Map<string, string>): Needle[] {
    const needles: Needle[] = [];
    for (const [label, value] of secrets) {
        needles.push({ label, form: "plain", bytes: Buffer.from(value, "utf8") });
        for (const { form, text } of base64Forms(value)) needles.push({ label, form, bytes: Buffer.from(text, "latin1") });
    }
    return needles;
}

function printable(buffer: Buffer): string {
    return buffer.toString("latin1").replace(/[^\x20-\x7e]/g, "·");
}

/**
 * Occurrences of any needle in `buffer` (at most 3 per needle), `base` added to offsets; only those that end past
 * `endPast` (a chunk's bytes already searched with the previous chunk).
 */
export function scanBuffer(source: string, buffer: Buffer, needles: Needle[], base = 0, endPast = 0): Finding[] {
    const findings: Finding[] = [];
    for (const needle of needles) {
        let from = Math.max(0, endPast - needle.bytes.length + 1);
        for (let count = 0; count < 3; count++) {
            const at = buffer.indexOf(needle.bytes, from);
            if (at < 0) break;
            const before = printable(buffer.subarray(Math.max(0, at - 100), at));
            const after = printable(buffer.subarray(at + needle.bytes.length, at + needle.bytes.length + 100));
            findings.push({ source, label: needle.label, form: needle.form, at: base + at, context: `${before}«${needle.label}»${after}` });
            from = at + 1;
        }
    }
    return findings;
}

export function scanText(source: string, text: string, needles: Needle[]): Finding[] {
    return scanBuffer(source, Buffer.from(text, "utf8"), needles);
}

/** Scans a file of any size in chunks (overlapping by the longest needle), from `offset`; bytes read and findings. */
export function scanFile(
    source: string,
    file: string,
    needles: Needle[],
    offset = 0,
    chunkBytes = 32 * 1024 * 1024,
): { bytes: number; findings: Finding[] } {
    const overlap = Math.max(...needles.map((needle) => needle.bytes.length)) - 1;
    const chunk = Buffer.alloc(Math.max(chunkBytes, 2 * overlap + 1));
    const findings: Finding[] = [];
    const fd = fs.openSync(file, "r");
    let position = offset;
    let bytes = 0;
    try {
        let carried = 0;
        for (;;) {
            const read = fs.readSync(fd, chunk, carried, chunk.length - carried, position);
            if (read === 0) break;
            const filled = carried + read;
            const window = chunk.subarray(0, filled);
            // The first `carried` bytes were searched with the previous chunk: only matches that end past them are new.
            findings.push(...scanBuffer(source, window, needles, position - carried, carried));
            position += read;
            bytes += read;
            carried = Math.min(overlap, filled);
            chunk.copy(chunk, 0, filled - carried, filled);
        }
    } finally {
        fs.closeSync(fd);
    }
    return { bytes, findings };
}

/** Every file under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
    });
}

/** Findings, grouped by source, for an assertion message (the secrets masked). */
export function describeFindings(findings: Finding[]): string {
    const bySource = new Map<string, Finding[]>();
    for (const finding of findings) bySource.set(finding.source, [...(bySource.get(finding.source) ?? []), finding]);
    return [...bySource]
        .map(
            ([source, found]) =>
                `${source}:\n${found
                    .slice(0, 10)
                    .map((f) => `  ${f.label} (${f.form}) at ${f.at}: …${f.context}…`)
                    .join("\n")}${found.length > 10 ? `\n  … and ${found.length - 10} more` : ""}`,
        )
        .join("\n");
}

/** Runs the real Pulumi CLI in the repository, with the environment of the tests (toolchain/env.sh). */
export async function pulumiCli(args: string[], timeoutMs = 5 * 60 * 1000): Promise<string> {
    try {
        const { stdout } = await run("pulumi", args, {
            cwd: REPO_ROOT,
            env: process.env,
            timeout: timeoutMs,
            maxBuffer: 256 * 1024 * 1024,
        });
        return stdout;
    } catch (error) {
        const failed = error as Error & { stderr?: string; stdout?: string };
        // Never the output of a --show-secrets command in the error: its stdout is dropped.
        delete failed.stdout;
        throw new Error(`pulumi ${args.join(" ")} failed: ${(failed.stderr ?? failed.message).slice(-4000)}`, { cause: error });
    }
}

/** The sandbox's PostgreSQL log (sandbox.sh writes its path to sandbox.env). */
export function postgresLogFile(): string {
    const file = /^TANDEM_POSTGRES_LOG=(.*)$/m.exec(fs.readFileSync(path.join(stateDir(), "sandbox.env"), "utf8"))?.[1];
    if (!file) throw new Error("sandbox.env names no PostgreSQL log (TANDEM_POSTGRES_LOG): run sandbox/sandbox.sh up");
    return file;
}

/** MariaDB's binlog: the current file and position, and the folder of the binlog files. */
export async function binlogPosition(sandbox: Sandbox): Promise<{ file: string; position: number; dir: string }> {
    const [{ File: file, Position: position }] = await mysqlQuery<{ File: string; Position: number }>(sandbox, "SHOW MASTER STATUS");
    const [{ base }] = await mysqlQuery<{ base: string }>(sandbox, "SELECT @@log_bin_basename AS base");
    return { file, position: Number(position), dir: path.dirname(base) };
}

/** The binlog files from `fromFile` (a file SHOW MASTER STATUS named) to the current one, as paths. */
export async function binlogFilesSince(sandbox: Sandbox, fromFile: string): Promise<string[]> {
    const { dir } = await binlogPosition(sandbox);
    const names = (await mysqlQuery<{ Log_name: string }>(sandbox, "SHOW BINARY LOGS")).map((row) => row.Log_name);
    const from = names.indexOf(fromFile);
    if (from < 0) throw new Error(`binlog ${fromFile} is gone (purged since): cannot scan the window`);
    return names.slice(from).map((name) => path.join(dir, name));
}

/** PostgreSQL's current WAL segment (file name) and the folder of the segments. */
export async function walPosition(sandbox: Sandbox): Promise<{ segment: string; dir: string }> {
    const [{ segment, dir }] = await postgresQuery<{ segment: string; dir: string }>(
        sandbox,
        "SELECT pg_walfile_name(pg_current_wal_lsn()) AS segment, current_setting('data_directory') AS dir",
    );
    return { segment, dir: path.join(dir, "pg_wal") };
}

/** The WAL segments from `fromSegment` to the current one that still exist, as paths (same timeline). */
export async function walSegmentsSince(sandbox: Sandbox, fromSegment: string): Promise<string[]> {
    const { segment: to, dir } = await walPosition(sandbox);
    return fs
        .readdirSync(dir)
        .filter((name) => /^[0-9A-F]{24}$/.test(name) && name.slice(0, 8) === fromSegment.slice(0, 8))
        .filter((name) => name >= fromSegment && name <= to)
        .sort()
        .map((name) => path.join(dir, name));
}
