// Pure: the one screen of `tandem status` and `tandem monitor` — the verdict, per direction its source and sink,
// delay, lag and dead letters, then the slot, conflicts, the watchdog, and the first line of any task trace.
import { ConnectorState } from "../monitor/health";
import { bytes, paint, seconds, stateColour, table } from "./output";
import { PipelineStatus } from "./pipelineStatus";

function connectorCell(connector: ConnectorState): string {
    const running = connector.tasks.filter((task) => task.state === "RUNNING").length;
    const failed = connector.tasks.filter((task) => task.state === "FAILED").length;
    const tasks = connector.tasks.length ? ` ${running}/${connector.tasks.length}${failed ? paint.red(` ${failed} failed`) : ""}` : "";
    return `${stateColour(connector.state)}${tasks}`;
}

function firstTraceLine(connector: ConnectorState): string | undefined {
    const task = connector.tasks.find((entry) => entry.trace);
    const line = task?.trace?.split("\n").find((text) => text.trim() && !/^\s+at /.test(text));
    return line ? `${connector.name} task ${task!.id}: ${line.trim().slice(0, 200)}` : undefined;
}

export function renderStatus(status: PipelineStatus): string {
    const lines = [
        `${paint.bold(`tandem ${status.stack}`)} (prefix ${status.prefix})  ${stateColour(status.health.status)}  ${paint.dim(status.checkedAt)}`,
        "",
        table(
            ["direction", "source", "sink", "delay", "lag", "dead letters"],
            status.directions.map((direction) => [
                direction.direction,
                `${direction.source.name} ${connectorCell(direction.source)}`,
                `${direction.sink.name} ${connectorCell(direction.sink)}`,
                direction.delaySeconds === undefined
                    ? "-"
                    : `${seconds(direction.delaySeconds)}${direction.delayPending ? " (rising)" : ""}`,
                direction.lag,
                direction.deadLetters,
            ]),
        ).trimEnd(),
        paint.dim(
            `delays from: ${status.delaysFrom}${status.monitorUrl && status.delaysFrom === "health monitor" ? ` (${status.monitorUrl})` : ""}`,
        ),
    ];
    const slot = status.slot;
    if (slot)
        lines.push(
            "missing" in slot
                ? `slot ${slot.name}: ${paint.red("missing")}`
                : `slot ${slot.name}: ${slot.active ? "active" : paint.yellow("inactive")}, WAL ${slot.walStatus ?? "?"}, retains ${bytes(slot.retainedBytes)}`,
        );
    if (status.conflicts) {
        const total = status.conflicts.reduce((sum, entry) => sum + entry.total, 0);
        const lastHour = status.conflicts.reduce((sum, entry) => sum + entry.lastHour, 0);
        const top = [...status.conflicts]
            .sort((a, b) => b.total - a.total)
            .slice(0, 3)
            .map((entry) => `${entry.table} (${entry.winner} won) ${entry.total}`);
        lines.push(`conflicts: ${total} recorded, ${lastHour} in the last hour${top.length ? `: ${top.join(", ")}` : ""}`);
    }
    for (const entry of status.watchdog.filter((item) => item.attempts > 0))
        lines.push(
            `watchdog: ${entry.connector}${entry.task === "connector" ? "" : ` task ${entry.task}`} restarted ${entry.attempts}×${entry.gaveUp ? paint.red(" gave up") : ""}`,
        );
    const traces = status.directions
        .flatMap((direction) => [firstTraceLine(direction.source), firstTraceLine(direction.sink)])
        .filter(Boolean);
    if (traces.length) lines.push("", ...traces.map((trace) => paint.red(trace!)));
    if (status.health.reasons.length) lines.push("", ...status.health.reasons.map((reason) => `- ${reason}`));
    return `${lines.join("\n")}\n`;
}

/** One line for a log or a pipe (`tandem monitor` without a terminal). */
export function statusLine(status: PipelineStatus): string {
    const directions = status.directions
        .map(
            (d) =>
                `${d.direction} ${d.delaySeconds === undefined ? "-" : seconds(d.delaySeconds)} lag ${d.lag ?? "-"} dlq ${d.deadLetters ?? "-"}`,
        )
        .join(" | ");
    return `${status.checkedAt} ${status.health.status} | ${directions}${status.health.reasons.length ? ` | ${status.health.reasons.join("; ")}` : ""}\n`;
}
