// `tandem reconcile`: proves both sides hold the same rows (bisecting checksums computed inside each database),
// finds every difference, and with --repair repairs them through the pipeline. Exit 1 when differences were found.
import { SingleBar } from "cli-progress";
import { reconcile } from "../../reconcile/reconcile";
import { renderReconcileReport } from "../../reconcile/report";
import { RECONCILE_DEFAULTS } from "../../reconcile/run";
import { act, command } from "../command";
import { UsageError } from "../errors";
import { emit } from "../output";

function number(value: string | undefined, flag: string, fallback: number, min = 0): number {
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min) throw new UsageError(`${flag} must be a number ≥ ${min}, got ${value}`);
    return parsed;
}

export function reconcileCommand() {
    return command(
        "reconcile",
        "Compare both databases table by table (checksums inside each database), report every difference; --repair fixes them.",
        ["tandem reconcile", "tandem reconcile --table orders --table customers -o json", "tandem reconcile --repair --max-rate 20000"],
    )
        .option("--table <name...>", "tables to compare (default: every synced table)")
        .option("--repair", "repair each difference through the pipeline as the conflict policy decides (default: report only)")
        .option("--max-rate <rows>", "rows per second at most, both sides together (default: no limit)")
        .option(
            "--settle <seconds>",
            "changes younger than this may be in flight: never reported",
            String(RECONCILE_DEFAULTS.settleSeconds),
        )
        .option("--recheck <seconds>", "how long to re-check keys that keep changing", String(RECONCILE_DEFAULTS.recheckSeconds))
        .action(
            act(async (session, flags: { table?: string[]; repair?: boolean; maxRate?: string; settle?: string; recheck?: string }) => {
                const options = {
                    ...RECONCILE_DEFAULTS,
                    maxRate: number(flags.maxRate, "--max-rate", 0),
                    settleSeconds: number(flags.settle, "--settle", RECONCILE_DEFAULTS.settleSeconds),
                    recheckSeconds: number(flags.recheck, "--recheck", RECONCILE_DEFAULTS.recheckSeconds),
                    tables: flags.table,
                    repair: Boolean(flags.repair),
                };
                const target = session.target();
                const bar = new SingleBar({
                    format: " {table} [{bar}] {value}/{total} rows",
                    hideCursor: true,
                    noTTYOutput: false,
                    stream: process.stderr,
                });
                let started = false;
                const report = await reconcile(target, target.policy, options, {
                    rows(table, done, total) {
                        if (!process.stderr.isTTY) return;
                        if (!started) bar.start(total, done, { table });
                        started = true;
                        bar.setTotal(total);
                        bar.update(done, { table });
                    },
                    phase(message) {
                        if (started) bar.stop();
                        started = false;
                        process.stderr.write(`${message}…\n`);
                    },
                });
                if (started) bar.stop();
                emit(session.format, report, (data) => renderReconcileReport(data));
                return report.tables.some((table) => table.differences.length > 0) ? 1 : 0;
            }),
        );
}
