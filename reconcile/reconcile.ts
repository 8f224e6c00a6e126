// Effects: `tandem reconcile` over a stack's tables — catalogs read once, each table planned, scanned, its
// candidates confirmed, optionally repaired, and the run recorded where the health monitor reads it.
import { readMysql, readPostgres } from "../database/catalog";
import { Policy, syncNames } from "../core/model";
import { mysqlAddress, StackTarget } from "../ops/stackTarget";
import { reconcileLogSql, ReconcileTable } from "../sql/reconcileSql";
import { qi } from "../sql/postgresSql";
import { Difference } from "./compare";
import { openReconcileDatabases } from "./databases";
import { planTable } from "./plan";
import { Progress, ReconcileOptions, TableReconciler, TableReport } from "./run";

export interface ReconcileReport {
    stack: string;
    ok: boolean;
    repaired: boolean;
    tables: TableReport[];
}

/**
 * Pairs of keys missing on each side that differ only by letter case, where the key ignores case (one row whose
 * key's spelling differs); with case-sensitive keys they stay two rows, each missing on one side.
 */
export function pairKeySpellings(table: ReconcileTable, differences: Difference[]): Difference[] {
    if (!table.key.some((column) => column.caseInsensitive)) return differences;
    const folded = (key: string[]) =>
        key.map((part, index) => (table.key[index].caseInsensitive ? part.toLowerCase() : part)).join("\u0000");
    const missingInPostgres = new Map<string, Difference>();
    for (const difference of differences)
        if (difference.kind === "missing-in-postgres") missingInPostgres.set(folded(difference.key), difference);
    const paired = new Set<Difference>();
    const result: Difference[] = [];
    for (const difference of differences) {
        if (difference.kind !== "missing-in-mysql") continue;
        const twin = missingInPostgres.get(folded(difference.key));
        if (!twin || paired.has(twin)) continue;
        paired.add(twin).add(difference);
        result.push({
            kind: "values-differ",
            key: twin.key,
            columns: ["(key spelling)"],
            mysql: twin.mysql,
            postgres: difference.postgres,
        });
    }
    return [...differences.filter((difference) => !paired.has(difference)), ...result];
}

export async function reconcile(
    target: StackTarget,
    policy: Policy,
    options: ReconcileOptions & { tables?: string[]; repair: boolean },
    progress: Progress,
): Promise<ReconcileReport> {
    const [mysqlFacts, postgresFacts] = await Promise.all([
        readMysql(mysqlAddress(target)),
        readPostgres({ ...target.postgres }, target.postgres.schema),
    ]);
    const names = options.tables?.length ? options.tables : target.syncedTables;
    const plans = names.map((name) =>
        planTable(
            mysqlFacts.tables.find((table) => table.name === name),
            postgresFacts.tables.find((table) => table.name === name),
            name,
        ),
    );
    const problems = plans.flatMap((plan) => (Array.isArray(plan) ? plan : []));
    if (problems.length) throw Object.assign(new Error(problems.join("; ")), { exitCode: 2 });
    const db = await openReconcileDatabases(target);
    const names_ = syncNames(target.prefix);
    const runs = names_.reconcileRunsTable;
    const repairs = names_.reconcileRepairsTable;
    const schema = qi(target.postgres.schema);
    try {
        for (const statement of reconcileLogSql(target.postgres.schema, runs, repairs, names_.monitorUser))
            await db.query("postgres", statement);
        const reports: TableReport[] = [];
        for (const plan of plans) {
            if (Array.isArray(plan)) continue;
            const started = Date.now();
            const reconciler = new TableReconciler(db, plan, options, progress);
            const scan = await reconciler.scan();
            if (scan.candidates.length)
                progress.phase(`${plan.name}: re-checking ${scan.candidates.length} key(s) once the pipeline caught up`);
            const { confirmed, unsettled } = await reconciler.confirm(scan.candidates);
            const differences = pairKeySpellings(plan, confirmed);
            const report: TableReport = {
                table: plan.name,
                rows: scan.rows,
                seconds: (Date.now() - started) / 1000,
                segments: scan.segments,
                differences: differences.map(({ kind, key, columns }) => ({ kind, key, ...(columns ? { columns } : {}) })),
                truncated: scan.truncated,
                unsettled,
                repairs: [],
            };
            if (options.repair) {
                for (const difference of differences) {
                    const repair = await reconciler.repair(policy, difference);
                    report.repairs.push(repair);
                    await db.query(
                        "postgres",
                        `INSERT INTO ${schema}.${qi(repairs)} (table_name, row_key, kind, winner, action, columns) VALUES ($1, $2, $3, $4, $5, $6)`,
                        [
                            plan.name,
                            JSON.stringify(difference.key),
                            difference.kind,
                            repair.winner,
                            `${repair.action} on ${repair.side}`,
                            JSON.stringify(difference.columns ?? null),
                        ],
                    );
                }
            }
            await db.query(
                "postgres",
                `INSERT INTO ${schema}.${qi(runs)} (table_name, rows_compared, differences, unsettled, finished_at) VALUES ($1, $2, $3, $4, clock_timestamp()) ON CONFLICT (table_name) DO UPDATE SET rows_compared = EXCLUDED.rows_compared, differences = EXCLUDED.differences, unsettled = EXCLUDED.unsettled, finished_at = EXCLUDED.finished_at`,
                [plan.name, Math.max(scan.rows.mysql, scan.rows.postgres), options.repair ? 0 : differences.length, unsettled],
            );
            reports.push(report);
        }
        const found = reports.some((report) => report.differences.length > 0);
        return { stack: target.stack, ok: !found || options.repair, repaired: options.repair, tables: reports };
    } finally {
        await db.close();
    }
}
