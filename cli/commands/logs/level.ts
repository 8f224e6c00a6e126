// `tandem logs level [LOGGER] [LEVEL]`: Connect's log levels at run time (admin loggers API): all loggers set
// explicitly, one logger's level, or a new level for a logger on every worker of the cluster.
import { act, command } from "../../command";
import { UsageError } from "../../errors";
import { emit, table } from "../../output";

const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "OFF"];

export function logLevelCommand() {
    return command("level", "Show or set Connect's log levels (a new level applies to every worker, until they restart).", [
        "tandem logs level",
        "tandem logs level io.debezium.connector.mysql",
        "tandem logs level io.debezium DEBUG",
    ])
        .argument("[logger]", "logger name (a package or class; root for the root logger)")
        .argument("[level]", `new level: ${LEVELS.join(", ")}`)
        .action(
            act(async (session, logger: string | undefined, level: string | undefined) => {
                const client = session.connect();
                if (level !== undefined) {
                    const wanted = level.toUpperCase();
                    if (!LEVELS.includes(wanted)) throw new UsageError(`unknown level ${level}: one of ${LEVELS.join(", ")}`);
                    const changed = await client.setLoggerLevel(logger!, wanted);
                    emit(
                        session.format,
                        { logger, level: wanted, changed },
                        (data) => `${data.logger} set to ${data.level} on the cluster\n`,
                    );
                    return;
                }
                const all = await client.loggers();
                if (logger !== undefined) {
                    // A logger not set explicitly inherits from the nearest ancestor that is.
                    const own = await client.logger(logger);
                    const ancestor = Object.keys(all)
                        .filter((name) => name === "root" || logger.startsWith(`${name}.`))
                        .sort((a, b) => (a === "root" ? -1 : b === "root" ? 1 : a.length - b.length))
                        .pop();
                    const level = own?.level ?? (ancestor ? all[ancestor].level : undefined);
                    emit(
                        session.format,
                        { logger, level, inheritedFrom: own ? null : (ancestor ?? null) },
                        (data) =>
                            `${data.logger}: ${data.level ?? "unknown"}${data.inheritedFrom ? ` (from ${data.inheritedFrom})` : ""}\n`,
                    );
                    return;
                }
                const rows = Object.entries(all)
                    .sort(([a], [b]) => (a === "root" ? -1 : b === "root" ? 1 : a.localeCompare(b)))
                    .map(([name, entry]) => ({ logger: name, level: entry.level }));
                emit(session.format, rows, (data) =>
                    table(
                        ["logger", "level"],
                        data.map((row) => [row.logger, row.level]),
                    ),
                );
            }),
        );
}
