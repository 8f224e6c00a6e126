// `tandem connectors describe NAME`: one connector in full — state, tasks with the head of any trace, topics,
// committed offsets, and its config with secrets masked.
import { traceHead } from "../../../connectors/connectorModel";
import { act, command } from "../../command";
import { existingNames, maskSecrets } from "../../connectorNames";
import { emit, stateColour, table } from "../../output";

export function describeCommand() {
    return command(
        "describe",
        "Show one connector: state, tasks (with the first lines of a trace), topics, offsets, config (secrets masked).",
        ["tandem connectors describe tandem-postgres-sink", "tandem connectors describe tandem-mysql-source -o yaml"],
    )
        .argument("<name>", "connector name")
        .option("--full-trace", "print whole task traces, not their first lines")
        .action(
            act(async (session, name: string, flags: { fullTrace?: boolean }) => {
                await existingNames(session, [name]);
                const client = session.connect();
                const [status, config, topics, offsets] = await Promise.all([
                    client.getStatus(name),
                    client.getConfig(name),
                    client.getTopics(name),
                    client.getOffsets(name).catch(() => undefined),
                ]);
                const role = Object.entries(session.optionalTarget()?.connectors ?? {}).find(([, owned]) => owned === name)?.[0];
                const trace = (text?: string) => (text ? (flags.fullTrace ? text : traceHead(text, 3)) : undefined);
                const view = {
                    name,
                    type: status!.type,
                    class: config?.["connector.class"],
                    state: status!.connector.state,
                    worker: status!.connector.worker_id,
                    trace: trace(status!.connector.trace),
                    stack: role ? { stack: session.stackName, role } : null,
                    tasks: status!.tasks.map((task) => ({
                        id: task.id,
                        state: task.state,
                        worker: task.worker_id,
                        trace: trace(task.trace),
                    })),
                    topics,
                    offsets: offsets ?? null,
                    config: maskSecrets(config ?? {}),
                };
                emit(session.format, view, (data) => {
                    const lines = [
                        `Name:     ${data.name}`,
                        `Type:     ${data.type}`,
                        `Class:    ${data.class ?? "-"}`,
                        `State:    ${stateColour(data.state)} on ${data.worker}`,
                        `Owner:    ${data.stack ? `stack ${data.stack.stack} (${data.stack.role}): change it with pulumi up` : "none (ad hoc)"}`,
                    ];
                    if (data.trace) lines.push(`Trace:    ${data.trace.replace(/\n/g, "\n          ")}`);
                    lines.push("Tasks:");
                    lines.push(
                        table(
                            ["id", "state", "worker"],
                            data.tasks.map((task) => [task.id, stateColour(task.state), task.worker]),
                        )
                            .trimEnd()
                            .replace(/^/gm, "  "),
                    );
                    for (const task of data.tasks.filter((t) => t.trace))
                        lines.push(`Task ${task.id} trace:\n${task.trace!.replace(/^/gm, "  ")}`);
                    lines.push(`Topics (${data.topics.length}):`, ...data.topics.map((topic) => `  ${topic}`));
                    if (data.offsets?.length) {
                        lines.push("Offsets:");
                        for (const entry of data.offsets)
                            lines.push(`  ${JSON.stringify(entry.partition)} → ${JSON.stringify(entry.offset)}`);
                    }
                    lines.push(
                        "Config:",
                        ...Object.keys(data.config)
                            .sort()
                            .map((key) => `  ${key} = ${data.config[key]}`),
                    );
                    return `${lines.join("\n")}\n`;
                });
            }),
        );
}
