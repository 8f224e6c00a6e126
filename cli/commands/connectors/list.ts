// `tandem connectors list`: every connector on the cluster — type, state, tasks running, worker — the stack's own marked.
import { act, command } from "../../command";
import { statuses } from "../../connectorNames";
import { emit, stateColour, table } from "../../output";

export function listCommand() {
    return command("list", "List the connectors on the Connect cluster (the stack's own marked with its role).", [
        "tandem connectors list",
        "tandem connectors list -o json",
    ])
        .alias("ls")
        .action(
            act(async (session) => {
                const all = await statuses(session);
                const roles = Object.fromEntries(
                    Object.entries(session.optionalTarget()?.connectors ?? {}).map(([role, name]) => [name, role]),
                );
                const rows = Object.entries(all)
                    .sort(([a], [b]) => a.localeCompare(b))
                    .map(([name, status]) => ({
                        name,
                        type: status.type,
                        state: status.connector.state,
                        tasks: { running: status.tasks.filter((task) => task.state === "RUNNING").length, total: status.tasks.length },
                        worker: status.connector.worker_id,
                        stackRole: roles[name] ?? null,
                    }));
                emit(session.format, rows, (data) =>
                    data.length === 0
                        ? "no connectors\n"
                        : table(
                              ["name", "type", "state", "tasks", "worker", "stack role"],
                              data.map((row) => [
                                  row.name,
                                  row.type,
                                  stateColour(row.state),
                                  `${row.tasks.running}/${row.tasks.total}`,
                                  row.worker,
                                  row.stackRole ?? "",
                              ]),
                          ),
                );
            }),
        );
}
