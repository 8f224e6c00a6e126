// Where the machine's CPU went while a benchmark ran: per component (Connect worker, Kafka broker, MariaDB,
// PostgreSQL, the load generator), in cores, from /proc before and after. Evidence for "the machine was
// saturated" or "the worker was the bottleneck" beside each figure.
import * as fs from "fs";

export type Component = "connect" | "kafka" | "mariadb" | "postgres" | "loadGenerator" | "other";

export interface CpuUse {
    /** Cores busy on average over the run, machine-wide (of `cores`). */
    busyCores: number;
    cores: number;
    /** Cores used on average by each component. */
    byComponent: Record<Component, number>;
}

interface Snapshot {
    at: number;
    machineBusyTicks: number;
    /** Per live process: its own ticks and those of children it has reaped. */
    processes: Map<number, { component: Component; ticks: number; reapedTicks: number }>;
}

const TICKS_PER_SECOND = 100;

function componentOf(pid: number, command: string): Component | undefined {
    if (pid === process.pid) return "loadGenerator";
    if (command.includes("ConnectDistributed")) return "connect";
    if (command.includes("kafka.Kafka")) return "kafka";
    if (/^\S*(mariadbd|mysqld)\b/.test(command)) return "mariadb";
    if (/^postgres[:\s]|\/postgres\s/.test(command)) return "postgres";
    return undefined;
}

function snapshot(): Snapshot {
    const cpu = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy = all but idle and iowait
    const machineBusyTicks = cpu.slice(0, 8).reduce((a, b) => a + b, 0) - cpu[3] - cpu[4];
    const processes: Snapshot["processes"] = new Map();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        const pid = Number(entry);
        try {
            const command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
            const component = componentOf(pid, command);
            if (!component) continue;
            const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
            const fields = stat
                .slice(stat.lastIndexOf(")") + 2)
                .split(" ")
                .map(Number);
            // After the command: state(0) … utime(11) stime(12) cutime(13) cstime(14)
            processes.set(pid, { component, ticks: fields[11] + fields[12], reapedTicks: fields[13] + fields[14] });
        } catch {
            // gone meanwhile
        }
    }
    return { at: Date.now(), machineBusyTicks, processes };
}

function difference(before: Snapshot, after: Snapshot): CpuUse {
    const seconds = Math.max((after.at - before.at) / 1000, 0.001);
    const byTicks: Record<Component, number> = { connect: 0, kafka: 0, mariadb: 0, postgres: 0, loadGenerator: 0, other: 0 };
    for (const [pid, now] of after.processes) {
        const then = before.processes.get(pid);
        // Processes started during the run count whole; those that ended show up in their parent's reaped ticks
        // (the load generator's `tandem loadtest` child, PostgreSQL's backends).
        byTicks[now.component] += now.ticks - (then?.ticks ?? 0) + now.reapedTicks - (then?.reapedTicks ?? 0);
    }
    const busyCores = (after.machineBusyTicks - before.machineBusyTicks) / TICKS_PER_SECOND / seconds;
    const byComponent = Object.fromEntries(
        Object.entries(byTicks).map(([component, ticks]) => [component, ticks / TICKS_PER_SECOND / seconds]),
    ) as Record<Component, number>;
    const known = Object.values(byComponent).reduce((a, b) => a + b, 0);
    byComponent.other = Math.max(busyCores - known, 0);
    return { busyCores, cores: (fs.readFileSync("/proc/cpuinfo", "utf8").match(/^processor\s/gm) ?? []).length, byComponent };
}

/** Runs `work` (synchronous or not) and reports the CPU used meanwhile. */
export async function measureCpu<T>(work: () => T | Promise<T>): Promise<{ result: T; cpu: CpuUse }> {
    const before = snapshot();
    const result = await work();
    return { result, cpu: difference(before, snapshot()) };
}

const NAMES: Record<Component, string> = {
    connect: "Connect worker",
    kafka: "Kafka broker",
    mariadb: "MariaDB",
    postgres: "PostgreSQL",
    loadGenerator: "load generator",
    other: "other",
};

/** "1.9 of 2 cores busy: Connect 1.1, PostgreSQL 0.3, …" */
export function describeCpu(cpu: CpuUse): string {
    const parts = (Object.entries(cpu.byComponent) as [Component, number][])
        .sort((a, b) => b[1] - a[1])
        .map(([component, cores]) => `${NAMES[component]} ${cores.toFixed(2)}`);
    return `${cpu.busyCores.toFixed(2)} of ${cpu.cores} cores busy (${parts.join(", ")})`;
}

/** CPU time per row at `rowsPerSecond`, by component: "Connect worker 95 µs, PostgreSQL 34 µs, …" (total first). */
export function describeCpuPerRow(cpu: CpuUse, rowsPerSecond: number): string {
    const micros = (cores: number) => `${Math.round((cores / rowsPerSecond) * 1e6)} µs`;
    const parts = (Object.entries(cpu.byComponent) as [Component, number][])
        .filter(([component]) => component !== "loadGenerator" && component !== "other")
        .sort((a, b) => b[1] - a[1])
        .map(([component, cores]) => `${NAMES[component]} ${micros(cores)}`);
    return `${micros(cpu.busyCores - cpu.byComponent.loadGenerator - cpu.byComponent.other)} of CPU per row (${parts.join(", ")})`;
}
