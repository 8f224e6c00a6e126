// Pure: a reconcile report for people — per table rows, time, segments, differences by kind with their keys
// (capped; `-o json` has them all), repairs made.
import { ReconcileReport } from "./reconcile";

const KIND_TITLES = {
    "missing-in-mysql": "missing in MySQL",
    "missing-in-postgres": "missing in PostgreSQL",
    "values-differ": "values differ",
} as const;

export function renderReconcileReport(report: ReconcileReport, keysShown = 10): string {
    const lines: string[] = [];
    for (const table of report.tables) {
        const byKind = Object.keys(KIND_TITLES).map((kind) => table.differences.filter((difference) => difference.kind === kind));
        const total = table.differences.length;
        lines.push(
            `${table.table}: ${Math.max(table.rows.mysql, table.rows.postgres)} rows (MySQL ${table.rows.mysql}, PostgreSQL ${table.rows.postgres}) in ${table.seconds.toFixed(1)} s, ${table.segments} segments — ${total === 0 ? "identical" : `${total}${table.truncated ? "+" : ""} difference(s)`}${table.unsettled ? `, ${table.unsettled} key(s) still changing (not counted)` : ""}`,
        );
        Object.values(KIND_TITLES).forEach((title, index) => {
            const found = byKind[index];
            if (!found.length) return;
            lines.push(`  ${title}: ${found.length}`);
            for (const difference of found.slice(0, keysShown))
                lines.push(`    ${difference.key.join(", ")}${difference.columns ? `  (${difference.columns.join(", ")})` : ""}`);
            if (found.length > keysShown) lines.push(`    … ${found.length - keysShown} more (-o json lists them all)`);
        });
        for (const repair of table.repairs.slice(0, keysShown))
            lines.push(
                `  repaired ${repair.key.join(", ")}: ${repair.winner} wins, ${repair.action === "rewrite" ? `row rewritten on ${repair.side}` : `row deleted on ${repair.side}`}, travels through the pipeline`,
            );
        if (table.repairs.length > keysShown) lines.push(`  … ${table.repairs.length - keysShown} more repairs`);
    }
    const differences = report.tables.reduce((sum, table) => sum + table.differences.length, 0);
    lines.push(
        differences === 0
            ? `stack ${report.stack}: ${report.tables.length} table(s) identical`
            : report.repaired
              ? `stack ${report.stack}: ${differences} difference(s) repaired; run again once the pipeline carried them`
              : `stack ${report.stack}: ${differences} difference(s); \`tandem reconcile --repair\` repairs them as the conflict policy decides`,
    );
    return `${lines.join("\n")}\n`;
}
