// `tandem topics …`: Kafka topics, the pipeline's marked; tail decodes change events.
import { group } from "../../command";
import { topicsListCommand } from "./list";
import { topicsTailCommand } from "./tail";

export const topicsCommand = () =>
    group("topics", "Kafka topics: list (partitions, replication, offsets), tail (change events decoded).", [
        topicsListCommand(),
        topicsTailCommand(),
    ]).alias("topic");
