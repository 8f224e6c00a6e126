// Pure: the load test's report for people (a table per direction, then the verdict) and for machines (-o json).
import { Direction } from "../core/vocabulary";
import { LoadtestResult } from "./run";

const ms = (value: number) => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);

export function renderReport(result: LoadtestResult): string {
    const lines = [`load test on stack ${result.stack}, table ${result.table}`, ""];
    const header = ["direction", "writes", "ins/upd/del", "conflicting", "rows/s", "p50", "p90", "p99", "max", "arrivals", "echoes"];
    const rows = (Object.entries(result.directions) as [Direction, NonNullable<LoadtestResult["directions"][Direction]>][]).map(
        ([direction, d]) => [
            direction,
            String(d.writes.insert + d.writes.update + d.writes.delete),
            `${d.writes.insert}/${d.writes.update}/${d.writes.delete}`,
            String(d.writes.shared),
            d.throughput.toFixed(0),
            ms(d.latencyMs.p50),
            ms(d.latencyMs.p90),
            ms(d.latencyMs.p99),
            ms(d.latencyMs.max),
            String(d.latencyMs.count),
            String(d.echoes),
        ],
    );
    const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
    const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
    lines.push(line(header), ...rows.map(line), "");
    lines.push("latency: commit on one side → row written on the other, both clocks read inside the databases");
    lines.push(
        result.convergedAfterMs === null
            ? `converged: NO within ${result.options.convergeTimeoutSeconds} s of the last write`
            : `converged: ${ms(result.convergedAfterMs)} after the last write`,
    );
    lines.push(`conflicts recorded: ${result.conflictsRecorded.mysql} in MySQL, ${result.conflictsRecorded.postgres} in PostgreSQL`);
    lines.push(`rows: ${result.rows.mysql} in MySQL, ${result.rows.postgres} in PostgreSQL; differences: ${result.differences.count}`);
    for (const difference of result.differences.sample) {
        lines.push(`  ${difference.key}: MySQL ${difference.mysql ?? "(none)"} | PostgreSQL ${difference.postgres ?? "(none)"}`);
    }
    if (result.differences.count > result.differences.sample.length)
        lines.push(`  … and ${result.differences.count - result.differences.sample.length} more`);
    const { lost, resurrected, staleVersions, sample } = result.planCheck;
    lines.push(`against the writes: ${lost} rows lost, ${resurrected} deleted rows back, ${staleVersions} older versions kept`);
    for (const line of sample) lines.push(`  ${line}`);
    const retried = Object.values(result.directions).reduce((sum, d) => sum + (d?.retriedWrites ?? 0), 0);
    if (retried > 0) lines.push(`writes retried after a lost connection: ${retried}`);
    lines.push("", result.ok ? "OK: both sides identical, as written" : "FAILED: the sides did not converge, differ, or lost writes");
    return `${lines.join("\n")}\n`;
}
