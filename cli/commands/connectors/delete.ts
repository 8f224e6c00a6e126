// `tandem connectors delete NAME…`: removes ad-hoc connectors; the stack's are refused (pulumi owns them).
import { act, command } from "../../command";
import { existingNames, refuseOwned } from "../../connectorNames";
import { emit } from "../../output";

export function deleteCommand() {
    return command("delete", "Delete ad-hoc connectors (a stack's connector is refused: remove it from the stack instead).", [
        "tandem connectors delete my-connector",
    ])
        .argument("<names...>", "connector names")
        .action(
            act(async (session, names: string[]) => {
                for (const name of names) refuseOwned(session, name, "delete");
                const chosen = await existingNames(session, names);
                for (const name of chosen) await session.connect().deleteConnector(name);
                emit(session.format, { deleted: chosen }, (data) => data.deleted.map((name) => `${name} deleted\n`).join(""));
            }),
        );
}
