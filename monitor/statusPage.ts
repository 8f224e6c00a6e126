// Pure: the human status page at GET / — the verdict, each direction's delay, connectors and tasks, the
// watchdog, probes, slot and binlog — server-rendered, refreshed by the browser every few seconds.
import { Health, MonitorState } from "./health";

function escape(text: string): string {
    return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const COLOURS: Record<string, string> = { ok: "#1a7f37", degraded: "#9a6700", failing: "#cf222e" };

function table(headers: string[], rows: string[][]): string {
    if (rows.length === 0) return "<p>none</p>";
    return `<table><tr>${headers.map((h) => `<th>${escape(h)}</th>`).join("")}</tr>${rows
        .map((row) => `<tr>${row.map((cell) => `<td>${escape(cell)}</td>`).join("")}</tr>`)
        .join("")}</table>`;
}

function bytes(value: number | undefined): string {
    if (value === undefined) return "—";
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let n = value;
    let unit = 0;
    while (n >= 1024 && unit < units.length - 1) {
        n /= 1024;
        unit++;
    }
    return `${n.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function renderStatusPage(prefix: string, health: Health, state: MonitorState, checkedAt: string): string {
    const directions = Object.entries(state.directions).map(([direction, view]) => [
        direction,
        view.delaySeconds === undefined ? "—" : `${view.delaySeconds.toFixed(3)} s`,
        view.pending ? "canary in flight" : "all arrived",
    ]);
    const connectors = state.connectors.map((c) => [c.name, c.state, c.tasks.map((t) => `${t.id}: ${t.state}`).join(", ") || "—"]);
    const watchdog = state.watchdog.map((w) => [
        `${w.connector}${w.task === "connector" ? "" : ` task ${w.task}`}`,
        String(w.attempts),
        w.gaveUp ? "gave up" : (w.nextRestartAt ?? "—"),
        (w.lastTrace ?? "").split("\n")[0],
    ]);
    const probes = Object.entries(state.probes).map(([target, probe]) => [target, probe.up ? "up" : "DOWN", probe.error ?? ""]);
    const slot = state.slot;
    const slotLine =
        slot === undefined
            ? "not read yet"
            : "missing" in slot
              ? `${slot.name}: missing`
              : `${slot.name}: ${slot.active ? "active" : "inactive"}, WAL ${slot.walStatus ?? "?"}, retains ${bytes(slot.retainedBytes)}`;
    const binlog = state.binlog;
    const binlogLine = binlog
        ? `retention ${binlog.retentionSeconds ? `${(binlog.retentionSeconds / 3600).toFixed(1)} h` : "forever"}, source behind ${bytes(binlog.behindBytes)}, purge margin ${bytes(binlog.marginBytes)}`
        : "not read yet";
    return `<!doctype html>
<html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>tandem ${escape(prefix)}: ${health.status}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:70em}th,td{text-align:left;padding:.2em 1em .2em 0}
.status{font-size:1.4em;font-weight:600;color:${COLOURS[health.status]}}</style></head>
<body><h1>tandem health monitor: ${escape(prefix)}</h1>
<p class="status">${health.status.toUpperCase()}</p>
${health.reasons.length ? `<ul>${health.reasons.map((r) => `<li>${escape(r)}</li>`).join("")}</ul>` : ""}
<p>checked ${escape(checkedAt)} · <a href="/metrics">/metrics</a> · <a href="/health">/health</a></p>
<h2>Sync delay</h2>${table(["direction", "delay", "canary"], directions)}
<h2>Connectors</h2>${table(["connector", "state", "tasks"], connectors)}
<h2>Watchdog</h2>${table(["what", "restarts", "next restart", "last trace"], watchdog)}
<h2>Dependencies</h2>${table(["target", "probe", "error"], probes)}
<h2>Replication</h2><p>PostgreSQL slot ${escape(slotLine)}</p><p>MySQL binlog ${escape(binlogLine)}</p>
<h2>Dead letters</h2>${table(
        ["direction", "records"],
        Object.entries(state.deadLetters).map(([d, n]) => [d, n === undefined ? "—" : String(n)]),
    )}
</body></html>
`;
}
