// The watchdog's decisions, without I/O: which failed connector or task to restart now. Back-off doubles
// from `initialBackoffSeconds` (as Strimzi's auto-restart grows its wait); after `maxAttempts` restarts of
// something still failing it gives up, loudly, and /health stays `failing` until a person acts. Something
// that has run for `stableAfterSeconds` since its last restart starts again from zero attempts.
import { WatchdogSettings } from "../core/monitorSettings";
import { ConnectorState, WatchdogEntry } from "./health";

export interface Restart {
    connector: string;
    /** "connector" for the connector itself, else the task's id. */
    task: string;
}

interface Tracked extends WatchdogEntry {
    failingSince: number;
    nextAt: number;
    /** When it was last seen running after a restart (to forget it once stable). */
    runningSince?: number;
}

export class Watchdog {
    private readonly tracked = new Map<string, Tracked>();

    constructor(private readonly settings: WatchdogSettings) {}

    /** Looks at the connectors' states; returns the restarts due now (the caller makes them, then calls `restarted`). */
    observe(connectors: ConnectorState[], now: number): Restart[] {
        if (!this.settings.enabled) return [];
        const due: Restart[] = [];
        const seen = new Set<string>();
        const consider = (connector: string, task: string, state: string, trace?: string) => {
            const key = `${connector}/${task}`;
            seen.add(key);
            const entry = this.tracked.get(key);
            if (state !== "FAILED") {
                if (!entry) return;
                entry.runningSince ??= now;
                if (now - entry.runningSince >= this.settings.stableAfterSeconds * 1000) this.tracked.delete(key);
                return;
            }
            if (!entry) {
                this.tracked.set(key, {
                    connector,
                    task,
                    attempts: 0,
                    gaveUp: false,
                    lastTrace: trace,
                    failingSince: now,
                    nextAt: now + this.settings.initialBackoffSeconds * 1000,
                });
                if (this.settings.initialBackoffSeconds === 0) due.push({ connector, task });
                return;
            }
            entry.runningSince = undefined;
            if (trace) entry.lastTrace = trace;
            if (entry.gaveUp) return;
            if (entry.attempts >= this.settings.maxAttempts) {
                entry.gaveUp = true;
                return;
            }
            if (now >= entry.nextAt) due.push({ connector, task });
        };
        for (const connector of connectors) {
            if (connector.state === "FAILED") consider(connector.name, "connector", "FAILED");
            else consider(connector.name, "connector", connector.state);
            for (const task of connector.tasks) consider(connector.name, String(task.id), task.state, task.trace);
        }
        // What no longer exists (a deleted connector, fewer tasks) is forgotten.
        for (const key of [...this.tracked.keys()]) if (!seen.has(key)) this.tracked.delete(key);
        return due;
    }

    /** Records a restart made (or tried) at `now`: the next one waits twice as long. */
    restarted(restart: Restart, now: number): void {
        const entry = this.tracked.get(`${restart.connector}/${restart.task}`);
        if (!entry) return;
        entry.attempts += 1;
        entry.lastRestartAt = new Date(now).toISOString();
        const wait = Math.min(this.settings.initialBackoffSeconds * 2 ** entry.attempts, this.settings.maxBackoffSeconds);
        entry.nextAt = now + wait * 1000;
    }

    entries(): WatchdogEntry[] {
        return [...this.tracked.values()].map((entry) => ({
            connector: entry.connector,
            task: entry.task,
            attempts: entry.attempts,
            gaveUp: entry.gaveUp,
            lastTrace: entry.lastTrace,
            lastRestartAt: entry.lastRestartAt,
            nextRestartAt: entry.gaveUp ? undefined : new Date(entry.nextAt).toISOString(),
        }));
    }
}
