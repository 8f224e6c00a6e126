// `tandem dlq …`: the rows each direction set aside (its dead-letter topic) instead of stopping.
import { group } from "../../command";
import { dlqListCommand } from "./list";
import { dlqReplayCommand } from "./replay";
import { dlqShowCommand } from "./show";

export const dlqCommand = () =>
    group("dlq", "Dead-lettered rows of each direction: list (counts), show (records and errors), replay.", [
        dlqListCommand(),
        dlqShowCommand(),
        dlqReplayCommand(),
    ]);
