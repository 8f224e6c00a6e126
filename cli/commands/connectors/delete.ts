// `tandem connectors delete NAME…`: removes ad-hoc connectors, and the secrets folder `deploy` wrote for each (in the
// stack's connectSecretsDir, when it has one); the stack's are refused (pulumi owns them).
import { act, command } from "../../command";
import { existingNames, refuseOwned } from "../../connectorNames";
import { removeSecretsOf } from "../../connectorSecrets";
import { emit } from "../../output";

export function deleteCommand() {
    return command(
        "delete",
        "Delete ad-hoc connectors and their secret files (a stack's connector is refused: remove it from the stack instead).",
        ["tandem connectors delete my-connector"],
    )
        .argument("<names...>", "connector names")
        .action(
            act(async (session, names: string[]) => {
                for (const name of names) refuseOwned(session, name, "delete");
                const chosen = await existingNames(session, names);
                for (const name of chosen) await session.connect().deleteConnector(name);
                removeSecretsOf(session, chosen);
                emit(session.format, { deleted: chosen }, (data) => data.deleted.map((name) => `${name} deleted\n`).join(""));
            }),
        );
}
