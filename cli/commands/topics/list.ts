// `tandem topics list`: topics with partitions, replication factor and records held (end − start offsets),
// the pipeline's own marked by their role (change topic of a direction, dead letters, heartbeat).
import { act, command } from "../../command";
import { emit, table } from "../../output";

export function topicsListCommand() {
    return command("list", "List topics: partitions, replication, records held, end offsets; the pipeline's topics marked.", [
        "tandem topics list",
        "tandem topics list --pipeline -o json",
    ])
        .alias("ls")
        .option("--pipeline", "only the stack's topics")
        .option("--internal", "include Kafka's and Connect's internal topics (names starting with _ or connect-)")
        .action(
            act(async (session, flags: { pipeline?: boolean; internal?: boolean }) => {
                const target = session.optionalTarget();
                const prefix = target?.prefix;
                const roleOf = (topic: string): string | null => {
                    if (!target || !prefix) return null;
                    if (Object.values(target.topics.deadLetters).includes(topic)) return "dead letters";
                    if (topic.startsWith(`${prefix}.mysql-to-postgres.`)) return "mysql-to-postgres";
                    if (topic.startsWith(`${prefix}.postgres-to-mysql.`)) return "postgres-to-mysql";
                    if (topic.startsWith("__debezium-heartbeat.") && topic.includes(`.${prefix}.`)) return "heartbeat";
                    return null;
                };
                const admin = session.kafka().admin();
                await admin.connect();
                try {
                    const names = (await admin.listTopics())
                        .filter((name) => flags.internal || !(name.startsWith("_") || name.startsWith("connect-")) || roleOf(name))
                        .filter((name) => !flags.pipeline || roleOf(name))
                        .sort();
                    const metadata = names.length ? (await admin.fetchTopicMetadata({ topics: names })).topics : [];
                    const rows = [];
                    for (let i = 0; i < metadata.length; i += 16) {
                        const batch = await Promise.all(
                            metadata.slice(i, i + 16).map(async (topic) => {
                                const offsets = await admin.fetchTopicOffsets(topic.name);
                                return {
                                    name: topic.name,
                                    partitions: topic.partitions.length,
                                    replication: Math.min(...topic.partitions.map((partition) => partition.replicas.length)),
                                    records: offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0),
                                    endOffsets: Object.fromEntries(offsets.map((o) => [o.partition, Number(o.high)])),
                                    pipeline: roleOf(topic.name),
                                };
                            }),
                        );
                        rows.push(...batch);
                    }
                    rows.sort((a, b) => a.name.localeCompare(b.name));
                    emit(session.format, rows, (data) =>
                        data.length === 0
                            ? "no topics\n"
                            : table(
                                  ["name", "partitions", "replication", "records", "end offsets", "pipeline"],
                                  data.map((row) => [
                                      row.name,
                                      row.partitions,
                                      row.replication,
                                      row.records,
                                      Object.entries(row.endOffsets)
                                          .map(([partition, end]) => `${partition}:${end}`)
                                          .join(" "),
                                      row.pipeline ?? "",
                                  ]),
                              ),
                    );
                } finally {
                    await admin.disconnect();
                }
            }),
        );
}
