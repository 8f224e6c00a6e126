// `tandem monitor`: `tandem status` refreshed live — every 2 s on the terminal's alternate screen, `q` (or
// Ctrl-C) to quit; without a terminal, one line per interval (for a log or a pipe).
import { act, command } from "../command";
import { UsageError } from "../errors";
import { gatherStatus, PipelineStatus } from "../pipelineStatus";
import { renderStatus, statusLine } from "../statusScreen";

const ALTERNATE_SCREEN = "\x1b[?1049h\x1b[?25l";
const MAIN_SCREEN = "\x1b[?25h\x1b[?1049l";
const HOME_AND_CLEAR = "\x1b[H\x1b[2J";

export function monitorCommand() {
    return command(
        "monitor",
        "Watch the pipeline: the status screen refreshed every few seconds (q to quit); one line per interval without a terminal.",
        ["tandem monitor", "tandem monitor --interval 5", "tandem monitor --count 3 | tee status.log"],
    )
        .option("--interval <seconds>", "seconds between refreshes", "2")
        .option("--count <n>", "stop after this many refreshes (default: until q)")
        .action(
            act(async (session, flags: { interval: string; count?: string }) => {
                const interval = Number(flags.interval);
                if (!(interval > 0)) throw new UsageError(`--interval must be a positive number of seconds, got ${flags.interval}`);
                const count = flags.count === undefined ? Infinity : Number(flags.count);
                if (!(Number.isInteger(count) && count > 0) && count !== Infinity)
                    throw new UsageError(`--count must be a positive integer, got ${flags.count}`);
                const live = Boolean(process.stdout.isTTY && process.stdin.isTTY);
                let quit = false;
                let wake: () => void = () => undefined;
                const stop = () => {
                    quit = true;
                    wake();
                };
                if (live) {
                    process.stdin.setRawMode(true);
                    process.stdin.resume();
                    process.stdin.on("data", (key: Buffer) => {
                        const text = key.toString("utf8");
                        if (text === "q" || text === "Q" || text === "\u0003" || text === "\u001b") stop();
                    });
                    process.stdout.write(ALTERNATE_SCREEN);
                } else process.once("SIGINT", stop);
                let last: PipelineStatus | undefined;
                try {
                    for (let round = 0; round < count && !quit; round++) {
                        // The first screen waits for nothing; later ones reuse the monitor's delays or a short canary wait.
                        last = await gatherStatus(session, { canaryWaitMs: Math.min(interval * 1000, 5000) });
                        if (quit) break;
                        if (live)
                            process.stdout.write(
                                `${HOME_AND_CLEAR}${renderStatus(last)}\nrefreshing every ${interval} s — press q to quit\n`,
                            );
                        else process.stdout.write(statusLine(last));
                        if (round + 1 < count)
                            await new Promise<void>((resolve) => {
                                wake = resolve;
                                setTimeout(resolve, interval * 1000);
                            });
                    }
                } finally {
                    if (live) {
                        process.stdout.write(MAIN_SCREEN);
                        process.stdin.setRawMode(false);
                        process.stdin.pause();
                    }
                }
                return last?.health.status === "failing" ? 1 : 0;
            }),
        );
}
