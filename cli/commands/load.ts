// `tandem load`: the bulk initial load of a stack's synced tables, MySQL/MariaDB → PostgreSQL (initialLoad=bulk).
// COPY and a version-aware merge while the stack streams; resumable; exit 1 when a table was not loaded.
import { MultiBar, Presets, SingleBar } from "cli-progress";
import { Command } from "commander";
import { LoadProgress, LoadReport, runLoad } from "../../bulkload/load";
import { mysqlAddress, readStackTarget } from "../../ops/stackTarget";
import { act } from "../command";
import { emit } from "../output";
import { InvalidOptions } from "../../loadtest/options";

function progressOnStderr(): LoadProgress & { stop(): void } {
    const bars = new MultiBar(
        {
            format: " {table} [{bar}] {value}/{total} rows  {speed} rows/s  ETA {eta_formatted}",
            hideCursor: true,
            noTTYOutput: true,
            notTTYSchedule: 5000,
            stream: process.stderr,
        },
        Presets.shades_classic,
    );
    let current: { bar: SingleBar; started: number; done: number; resumed: number } | undefined;
    return {
        table(name, estimatedRows, resumedRows) {
            const bar = bars.create(Math.max(estimatedRows, resumedRows, 1), resumedRows, { table: name, speed: 0 });
            current = { bar, started: Date.now(), done: 0, resumed: resumedRows };
        },
        advance(rows) {
            if (!current) return;
            current.done += rows;
            const value = current.resumed + current.done;
            if (value > current.bar.getTotal()) current.bar.setTotal(value);
            current.bar.update(value, { speed: Math.round(current.done / Math.max((Date.now() - current.started) / 1000, 0.001)) });
        },
        done(result) {
            if (current && result.outcome === "loaded") current.bar.setTotal(current.resumed + current.done);
            if (current) current.bar.update(current.resumed + current.done);
            if (result.error) bars.log(`${result.table}: ${result.outcome}: ${result.error}\n`);
            current = undefined;
        },
        stop() {
            bars.stop();
        },
    };
}

function positive(value: string | undefined, flag: string, fallback: number): number {
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1)
        throw new InvalidOptions(`${flag} must be a positive integer, got ${JSON.stringify(value)}`);
    return parsed;
}

export function renderLoadReport(report: LoadReport): string {
    const lines = [`stack ${report.stack}: ${report.ok ? "every table loaded" : "NOT every table loaded"}`];
    for (const t of report.tables) {
        const figures =
            t.outcome === "loaded"
                ? `${t.rows} rows in ${t.seconds.toFixed(1)} s (${t.rowsPerSecond} rows/s)${t.resumed ? ", resumed" : ""}`
                : "";
        const stream = t.handedToStream > 0 ? `, ${t.handedToStream} rows refused in bulk handed to the stream` : "";
        lines.push(`  ${t.table}: ${t.outcome}${figures ? ` — ${figures}` : ""}${stream}${t.error ? ` — ${t.error}` : ""}`);
    }
    return `${lines.join("\n")}\n`;
}

export function loadCommand(): Command {
    return new Command("load")
        .description(
            "Copy the existing rows of the synced tables MySQL/MariaDB → PostgreSQL in bulk while the stack streams (initialLoad=bulk).",
        )
        .option("--table <name...>", "tables to load (default: every synced table not loaded yet)")
        .option("--chunk-rows <n>", "rows per chunk (one COPY, merge and resume point each)", "50000")
        .option("--max-refused <n>", "stop a table after this many rows PostgreSQL refuses in bulk", "1000")
        .option("--restart", "copy again from the start, tables loaded already included")
        .addHelpText("after", "\nExamples:\n  $ tandem load\n  $ tandem load --table orders --chunk-rows 50000 -o json\n")
        .action(
            act(async (session, flags: { table?: string[]; chunkRows?: string; maxRefused?: string; restart?: boolean }) => {
                const chunkRows = positive(flags.chunkRows, "--chunk-rows", 50000);
                const maxRefusedRows = positive(flags.maxRefused, "--max-refused", 1000);
                const target = readStackTarget(session.stackName, { withSyncWriter: true });
                const progress = progressOnStderr();
                let report: LoadReport;
                try {
                    report = await runLoad(
                        { ...target, mysql: mysqlAddress(target), writer: target.postgresSyncWriter! },
                        { tables: flags.table, chunkRows, restart: flags.restart ?? false, maxRefusedRows },
                        progress,
                    );
                } finally {
                    progress.stop();
                }
                emit(session.format, report, renderLoadReport);
                return report.ok ? 0 : 1;
            }),
        );
}
