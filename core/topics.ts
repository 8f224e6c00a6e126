// Pure: the Kafka topics of a pipeline, named as Debezium names them, so that components, connectors and
// operator tools (quarantine, monitor) compute the same names.
import { Direction } from "./vocabulary";

/**
 * The topic Debezium writes a table's changes to: its default naming strategy replaces every UTF-16 unit that
 * is not an ASCII letter, digit, '.', '_' or '-' by '_' and cuts the name at 249 characters.
 */
export function kafkaTopicName(name: string): string {
    let out = "";
    for (let i = 0; i < name.length; i++) out += /[A-Za-z0-9._-]/.test(name[i]) ? name[i] : "_";
    if (out.length > 249) out = out.slice(0, 249);
    if (out === ".") return "_";
    if (out === "..") return "__";
    return out;
}

/** Kafka refuses two topics that differ only by '.' versus '_' (their metric names would collide). */
export function kafkaCollisionKey(topic: string): string {
    return topic.replace(/\./g, "_");
}

/** Topic prefix of one direction: `<prefix>.mysql-to-postgres`; Debezium appends `.<database>.<table>`. */
export function directionPrefix(prefix: string, direction: Direction): string {
    return `${prefix}.${direction}`;
}

/** The change topic of one MySQL/MariaDB table. */
export function mysqlTableTopic(prefix: string, database: string, table: string): string {
    return `${directionPrefix(prefix, "mysql-to-postgres")}.${database}.${table}`;
}

/** Topics of one direction: `<prefix>.<direction>.<namespace>.<table>`, as Debezium names them (two tables may share one). */
export function syncTopics(prefix: string, direction: Direction, namespace: string, tables: string[]): { rows: string[] } {
    return { rows: [...new Set(tables.map((table) => kafkaTopicName(`${directionPrefix(prefix, direction)}.${namespace}.${table}`)))] };
}

export function deadLetterTopic(prefix: string, direction: Direction): string {
    return `${prefix}.dlq.${direction}`;
}

/**
 * Name prefixes of every topic a pipeline owns: `<prefix>.…` (change topics, dead letters, schema history) and
 * the heartbeat topic Debezium names after the PostgreSQL source's topic prefix. A prefix has no '.', so no
 * other pipeline's topic starts with these.
 */
export function pipelineTopicPrefixes(prefix: string): string[] {
    return [`${prefix}.`, `__debezium-heartbeat.${prefix}.`];
}

/** Whether a topic is one of the pipeline's own. */
export function isPipelineTopic(prefix: string, topic: string): boolean {
    return pipelineTopicPrefixes(prefix).some((start) => topic.startsWith(start));
}
