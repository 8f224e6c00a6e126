// pause / resume / stop share one shape: names (or --all), one call each, then each connector's state once
// Connect reports the one asked for (or what it reports after a short wait).
import { Command } from "commander";
import { act, command } from "./command";
import { existingNames } from "./connectorNames";
import { emit, stateColour, table } from "./output";
import { Session } from "./session";

type Verb = "pause" | "resume" | "stop";
const TARGET_STATE: Record<Verb, string> = { pause: "PAUSED", resume: "RUNNING", stop: "STOPPED" };

export async function waitForStates(session: Session, names: string[], state: string, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const all = await session.connect().listStatuses();
        const states = names.map((name) => ({ name, state: all[name]?.connector.state ?? "ABSENT" }));
        // A connector reaches RUNNING or PAUSED before its tasks do (a new one has none yet): wait for them too,
        // unless one failed. A STOPPED connector has no tasks.
        const tasksSettled = (name: string) => {
            const tasks = all[name]?.tasks ?? [];
            return state === "STOPPED" || (tasks.length > 0 && tasks.every((task) => task.state === state || task.state === "FAILED"));
        };
        if (states.every((entry) => entry.state === state && tasksSettled(entry.name)) || Date.now() > deadline) return states;
        await new Promise((resolve) => setTimeout(resolve, 300));
    }
}

export function lifecycleCommand(verb: Verb, description: string): Command {
    return command(verb, `${description} A stack's connector goes back to its declared state at the next \`pulumi up\`.`, [
        `tandem connectors ${verb} tandem-postgres-sink`,
        `tandem connectors ${verb} --all -o json`,
    ])
        .argument("[names...]", "connector names")
        .option("--all", "every connector on the cluster")
        .action(
            act(async (session, names: string[], flags: { all?: boolean }) => {
                const chosen = await existingNames(session, names, flags.all);
                for (const name of chosen) await session.connect()[verb](name);
                const states = await waitForStates(session, chosen, TARGET_STATE[verb]);
                emit(session.format, states, (data) =>
                    table(
                        ["name", "state"],
                        data.map((row) => [row.name, stateColour(row.state)]),
                    ),
                );
                return states.every((entry) => entry.state === TARGET_STATE[verb]) ? 0 : 1;
            }),
        );
}
