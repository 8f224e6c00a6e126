// `tandem connectors offsets reset NAME`: stop, forget the offsets (KIP-875), resume — the connector then
// starts over (a source re-reads per its snapshot mode, a sink from its topics' beginning). Asks first. The
// stack's connectors need --force: resetting them re-sends everything through the pipeline.
import { act, command } from "../../command";
import { confirm } from "../../confirm";
import { existingNames } from "../../connectorNames";
import { waitForStates } from "../../connectorLifecycle";
import { CliError } from "../../errors";
import { emit, stateColour } from "../../output";

export function offsetsResetCommand() {
    return command("reset", "Reset a connector's offsets (stop, delete offsets, resume) so that it starts over; asks unless --yes.", [
        "tandem connectors offsets reset my-connector",
        "tandem connectors offsets reset my-connector --yes -o json",
    ])
        .argument("<name>", "connector name")
        .option("--yes", "do not ask")
        .option("--force", "allow it on one of the stack's connectors (everything is sent through the pipeline again)")
        .action(
            act(async (session, name: string, flags: { yes?: boolean; force?: boolean }) => {
                await existingNames(session, [name]);
                if (session.pipelineConnectorNames().includes(name) && !flags.force)
                    throw new CliError(
                        `${name} belongs to stack ${session.stackName}: resetting it re-sends every row through the pipeline; add --force if that is what you want`,
                    );
                const before = (await session.connect().getOffsets(name)) ?? [];
                await confirm(
                    `reset the offsets of ${name} (${before.length} partition(s) committed) and restart it from the beginning?`,
                    flags.yes,
                );
                await session.connect().resetOffsets(name);
                await session.connect().resume(name);
                const [state] = await waitForStates(session, [name], "RUNNING");
                emit(
                    session.format,
                    { name, cleared: before.length, state: state.state },
                    (data) => `${data.name}: ${data.cleared} committed offset(s) cleared, ${stateColour(data.state)}\n`,
                );
                return state.state === "RUNNING" ? 0 : 1;
            }),
        );
}
