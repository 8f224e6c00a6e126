// How commands print: for people, aligned borderless columns (kubectl's look) with colour only on a terminal
// (picocolors honours NO_COLOR and FORCE_COLOR); for scripts, `-o json` or `-o yaml` of the same data.
import Table from "cli-table3";
import * as yaml from "js-yaml";
import pc from "picocolors";

export const FORMATS = ["table", "json", "yaml"] as const;
export type Format = (typeof FORMATS)[number];

const colours = pc.createColors(pc.isColorSupported && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
export const paint = colours;

/** Colours a connector or task state: green running, yellow held, red failed. */
export function stateColour(state: string): string {
    if (state === "RUNNING" || state === "ok") return paint.green(state);
    if (state === "FAILED" || state === "ABSENT" || state === "failing") return paint.red(state);
    if (state === "PAUSED" || state === "STOPPED" || state === "UNASSIGNED" || state === "RESTARTING" || state === "degraded")
        return paint.yellow(state);
    return state;
}

/** Borderless aligned columns with an upper-case header, as kubectl prints. */
export function table(head: string[], rows: (string | number | undefined)[][]): string {
    const none = Object.fromEntries(
        [
            "top",
            "top-mid",
            "top-left",
            "top-right",
            "bottom",
            "bottom-mid",
            "bottom-left",
            "bottom-right",
            "left",
            "left-mid",
            "mid",
            "mid-mid",
            "right",
            "right-mid",
            "middle",
        ].map((key) => [key, ""]),
    );
    const output = new Table({
        head: head.map((title) => title.toUpperCase()),
        chars: none,
        style: { head: [], border: [], "padding-left": 0, "padding-right": 3, compact: true },
    });
    for (const row of rows) output.push(row.map((cell) => (cell === undefined ? "-" : String(cell))));
    return `${output
        .toString()
        .split("\n")
        .map((line) => line.trimEnd())
        .join("\n")}\n`;
}

/** Prints the data in the chosen format; `human` renders it for people. */
export function emit<T>(format: Format, data: T, human: (data: T) => string): void {
    if (format === "json") process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else if (format === "yaml") process.stdout.write(yaml.dump(data, { noRefs: true, lineWidth: 160 }));
    else process.stdout.write(human(data));
}

export function bytes(value: number | undefined): string {
    if (value === undefined) return "-";
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let size = value;
    let unit = 0;
    while (size >= 1024 && unit < units.length - 1) {
        size /= 1024;
        unit += 1;
    }
    return unit === 0 ? `${size} B` : `${size.toFixed(1)} ${units[unit]}`;
}

export function seconds(value: number | undefined): string {
    if (value === undefined) return "-";
    return value < 10 ? `${value.toFixed(2)} s` : `${value.toFixed(0)} s`;
}
