// `tandem connectors deploy FILE`: creates or updates an ad-hoc connector from a file, validated by Connect
// first. The stack's connectors are refused: their config lives in the stack (pulumi up).
import { act, command } from "../../command";
import { readConnectorFile, validationErrors } from "../../connectorFile";
import { refuseOwned } from "../../connectorNames";
import { waitForStates } from "../../connectorLifecycle";
import { CliError } from "../../errors";
import { emit, stateColour } from "../../output";

export function deployCommand() {
    return command("deploy", "Create or update an ad-hoc connector from a file (validated first; a stack's connector is refused).", [
        "tandem connectors deploy my-connector.json",
        "tandem connectors deploy old-tool/mysql-source.json -o json",
    ])
        .argument("<file>", 'JSON: {"name": …, "config": {…}} or a bare config with "name"')
        .action(
            act(async (session, file: string) => {
                const definition = readConnectorFile(file);
                refuseOwned(session, definition.name, "deploy");
                const errors = await validationErrors(session, definition);
                if (errors.length) throw new CliError(`${file}: Connect refuses ${definition.name}: ${errors.join("; ")}`);
                const created = await session.connect().putConfig(definition.name, definition.config);
                const [state] = await waitForStates(session, [definition.name], "RUNNING");
                const status = await session.connect().getStatus(definition.name);
                const failed = status?.tasks.find((task) => task.state === "FAILED");
                const result = {
                    name: definition.name,
                    action: created ? "created" : "updated",
                    state: state.state,
                    tasks: status?.tasks.length ?? 0,
                };
                emit(session.format, result, (data) => `${data.name} ${data.action}: ${stateColour(data.state)}, ${data.tasks} task(s)\n`);
                if (failed) process.stderr.write(`task ${failed.id} FAILED: ${failed.trace?.split("\n")[0] ?? ""}\n`);
                return state.state === "RUNNING" && !failed ? 0 : 1;
            }),
        );
}
