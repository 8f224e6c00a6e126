// `tandem connectors restart NAME…`: restarts connectors (KIP-745), with their tasks or only what failed.
import { act, command } from "../../command";
import { existingNames } from "../../connectorNames";
import { emit, stateColour, table } from "../../output";

export function restartCommand() {
    return command("restart", "Restart connectors; with --include-tasks their tasks too, with --failed-only only what FAILED.", [
        "tandem connectors restart tandem-postgres-sink --include-tasks --failed-only",
        "tandem connectors restart --all --failed-only",
    ])
        .argument("[names...]", "connector names")
        .option("--all", "every connector on the cluster")
        .option("--include-tasks", "restart the connector's tasks too")
        .option("--failed-only", "only the connector and tasks that are FAILED")
        .action(
            act(async (session, names: string[], flags: { all?: boolean; includeTasks?: boolean; failedOnly?: boolean }) => {
                const chosen = await existingNames(session, names, flags.all);
                for (const name of chosen)
                    await session
                        .connect()
                        .restart(name, { includeTasks: Boolean(flags.includeTasks), onlyFailed: Boolean(flags.failedOnly) });
                await new Promise((resolve) => setTimeout(resolve, 1000));
                const all = await session.connect().listStatuses();
                const rows = chosen.map((name) => ({
                    name,
                    state: all[name]?.connector.state ?? "ABSENT",
                    tasks: (all[name]?.tasks ?? []).map((task) => ({ id: task.id, state: task.state })),
                }));
                emit(session.format, rows, (data) =>
                    table(
                        ["name", "state", "tasks"],
                        data.map((row) => [
                            row.name,
                            stateColour(row.state),
                            row.tasks.map((task) => `${task.id}:${stateColour(task.state)}`).join(" "),
                        ]),
                    ),
                );
                return rows.some((row) => row.state === "FAILED" || row.tasks.some((task) => task.state === "FAILED")) ? 1 : 0;
            }),
        );
}
