// `tandem connectors validate FILE`: Connect's validation of a connector file, each error named by its key.
import { act, command } from "../../command";
import { readConnectorFile, validationErrors } from "../../connectorFile";
import { emit, paint } from "../../output";

export function validateCommand() {
    return command("validate", "Validate a connector file with the plugin's own rules; errors are named by config key (exit 1).", [
        "tandem connectors validate my-connector.json",
    ])
        .argument("<file>", 'JSON: {"name": …, "config": {…}} or a bare config with "name"')
        .action(
            act(async (session, file: string) => {
                const definition = readConnectorFile(file);
                const errors = await validationErrors(session, definition);
                emit(session.format, { name: definition.name, valid: errors.length === 0, errors }, (data) =>
                    data.valid
                        ? `${paint.green("valid")}: ${data.name}\n`
                        : `${paint.red("invalid")}: ${data.name}\n${data.errors.map((error) => `  ${error}`).join("\n")}\n`,
                );
                return errors.length ? 1 : 0;
            }),
        );
}
