// `tandem connectors offsets get NAME`: a connector's committed offsets (KIP-875): a source's position in
// its database (binlog file and position, LSN), a sink's consumer offsets per topic partition.
import { act, command } from "../../command";
import { existingNames } from "../../connectorNames";
import { emit, table } from "../../output";

export function offsetsGetCommand() {
    return command("get", "Show a connector's committed offsets (source: database position; sink: topic partitions).", [
        "tandem connectors offsets get tandem-mysql-source",
        "tandem connectors offsets get tandem-postgres-sink -o json",
    ])
        .argument("<name>", "connector name")
        .action(
            act(async (session, name: string) => {
                await existingNames(session, [name]);
                const offsets = (await session.connect().getOffsets(name)) ?? [];
                emit(session.format, { name, offsets }, (data) =>
                    data.offsets.length === 0
                        ? `${name}: no committed offsets\n`
                        : table(
                              ["partition", "offset"],
                              data.offsets.map((entry) => [JSON.stringify(entry.partition), JSON.stringify(entry.offset)]),
                          ),
                );
            }),
        );
}
