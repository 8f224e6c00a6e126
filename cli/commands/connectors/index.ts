// `tandem connectors …`: the connectors on the Connect cluster, the stack's and ad-hoc ones.
import { group } from "../../command";
import { deleteCommand } from "./delete";
import { deployCommand } from "./deploy";
import { describeCommand } from "./describe";
import { listCommand } from "./list";
import { offsetsGetCommand } from "./offsetsGet";
import { offsetsResetCommand } from "./offsetsReset";
import { pauseCommand } from "./pause";
import { restartCommand } from "./restart";
import { resumeCommand } from "./resume";
import { stopCommand } from "./stop";
import { validateCommand } from "./validate";

export function connectorsCommand() {
    return group(
        "connectors",
        "Connectors on the Connect cluster: list, describe, restart, pause, resume, stop, validate, deploy, delete, offsets.",
        [
            listCommand(),
            describeCommand(),
            restartCommand(),
            pauseCommand(),
            resumeCommand(),
            stopCommand(),
            validateCommand(),
            deployCommand(),
            deleteCommand(),
            group("offsets", "A connector's committed offsets: get, reset.", [offsetsGetCommand(), offsetsResetCommand()]),
        ],
    ).alias("connector");
}
