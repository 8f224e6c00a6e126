// `tandem connectors deploy FILE`: creates or updates an ad-hoc connector from a file, validated by Connect
// first. The stack's connectors are refused: their config lives in the stack (pulumi up). The file's secrets
// (the keys Connect types PASSWORD, any `…password` / `….jaas.config`) never reach Connect: they are written to
// the connector's folder under the stack's connectSecretsDir and sent as `${dir:…}` references (cli/connectorSecrets.ts).
import { act, command } from "../../command";
import { readConnectorFile, validateConnectorFile } from "../../connectorFile";
import { refuseOwned } from "../../connectorNames";
import { secretKeys, storeConnectorSecrets } from "../../connectorSecrets";
import { waitForStates } from "../../connectorLifecycle";
import { CliError } from "../../errors";
import { emit, stateColour } from "../../output";

export function deployCommand() {
    return command(
        "deploy",
        "Create or update an ad-hoc connector from a file (validated first; its secrets are written to the stack's connectSecretsDir and sent as ${dir:…} references; a stack's connector is refused).",
        ["tandem connectors deploy my-connector.json", "tandem connectors deploy old-tool/mysql-source.json -o json"],
    )
        .argument("<file>", 'JSON: {"name": …, "config": {…}} or a bare config with "name"')
        .action(
            act(async (session, file: string) => {
                const definition = readConnectorFile(file);
                refuseOwned(session, definition.name, "deploy");
                const { answer, errors } = await validateConnectorFile(session, definition);
                if (errors.length) throw new CliError(`${file}: Connect refuses ${definition.name}: ${errors.join("; ")}`);
                const secrets = secretKeys(definition.config, answer);
                const stored = storeConnectorSecrets(session, file, definition.name, definition.config, secrets);
                const created = await session
                    .connect()
                    .putConfig(definition.name, stored.config)
                    .catch((error: unknown) => {
                        stored.undo();
                        throw error;
                    });
                const [state] = await waitForStates(session, [definition.name], "RUNNING");
                const status = await session.connect().getStatus(definition.name);
                const failed = status?.tasks.find((task) => task.state === "FAILED");
                const result = {
                    name: definition.name,
                    action: created ? "created" : "updated",
                    state: state.state,
                    tasks: status?.tasks.length ?? 0,
                    /** The keys written to the secrets folder (their values are never printed). */
                    secrets,
                };
                emit(
                    session.format,
                    result,
                    (data) =>
                        `${data.name} ${data.action}: ${stateColour(data.state)}, ${data.tasks} task(s)` +
                        (data.secrets.length ? `; kept out of Connect as secret files: ${data.secrets.join(", ")}` : "") +
                        "\n",
                );
                if (failed) process.stderr.write(`task ${failed.id} FAILED: ${failed.trace?.split("\n")[0] ?? ""}\n`);
                return state.state === "RUNNING" && !failed ? 0 : 1;
            }),
        );
}
