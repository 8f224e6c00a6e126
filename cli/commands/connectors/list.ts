// `tandem connectors list`: every connector on the cluster — type, state, tasks running, worker — the stack's own marked,
// and the stack that deploys each one (its `tandem.owner` marker), for clusters several stacks share.
import { OWNER_KEY } from "../../../connectors/connectorModel";
import { act, command } from "../../command";
import { statuses } from "../../connectorNames";
import { emit, stateColour, table } from "../../output";

export function listCommand() {
    return command(
        "list",
        "List the connectors on the Connect cluster (the stack's own marked with its role, each with the stack that deploys it).",
        ["tandem connectors list", "tandem connectors list -o json"],
    )
        .alias("ls")
        .action(
            act(async (session) => {
                const [all, configs] = await Promise.all([statuses(session), session.connect().listConfigs()]);
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
                        owner: configs[name]?.[OWNER_KEY] ?? null,
                    }));
                emit(session.format, rows, (data) =>
                    data.length === 0
                        ? "no connectors\n"
                        : table(
                              ["name", "type", "state", "tasks", "worker", "stack role", "deployed by"],
                              data.map((row) => [
                                  row.name,
                                  row.type,
                                  stateColour(row.state),
                                  `${row.tasks.running}/${row.tasks.total}`,
                                  row.worker,
                                  row.stackRole ?? "",
                                  row.owner ?? "",
                              ]),
                          ),
                );
            }),
        );
}
