// `tandem status`: the whole pipeline on one screen, per direction. Exit 1 when anything is failing (a
// connector or task FAILED or missing, a service unreachable, the slot lost), else 0 — also when degraded.
import { act, command } from "../command";
import { emit } from "../output";
import { gatherStatus } from "../pipelineStatus";
import { renderStatus } from "../statusScreen";

export function statusCommand() {
    return command(
        "status",
        "The pipeline at a glance: connectors and tasks, sync delay, lag, dead letters, conflicts, slot; exit 1 when failing.",
        ["tandem status", "tandem status --stack prod -o json", "tandem status || tandem connectors describe tandem-postgres-sink"],
    ).action(
        act(async (session) => {
            const status = await gatherStatus(session);
            emit(session.format, status, renderStatus);
            return status.health.status === "failing" ? 1 : 0;
        }),
    );
}
