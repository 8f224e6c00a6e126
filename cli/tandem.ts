// `tandem`: the operators' command line. One command per file in cli/commands/, registered here. Global
// options say which stack (and so which Connect, Kafka, databases and monitor) every command works on; each
// command prints for people by default and for scripts with `-o json|yaml`, and exits 0 when all is well, 1
// when what it did or checked found a problem, 2 on bad usage — with one readable line, never a stack trace.
import { Command, Option } from "commander";
import { completionCommand } from "./completion";
import { connectorsCommand } from "./commands/connectors";
import { dlqCommand } from "./commands/dlq";
import { healthMonitorCommand } from "./commands/healthMonitor";
import { loadCommand } from "./commands/load";
import { loadtestCommand } from "./commands/loadtest";
import { logsCommand } from "./commands/logs";
import { monitorCommand } from "./commands/monitor";
import { reconcileCommand } from "./commands/reconcile";
import { statusCommand } from "./commands/status";
import { topicsCommand } from "./commands/topics";
import { FORMATS } from "./output";

function allCommands(command: Command): Command[] {
    return [command, ...command.commands.flatMap(allCommands)];
}

export function tandemProgram(): Command {
    const program = new Command("tandem")
        .description("Operate a tandem bidirectional sync (MySQL/MariaDB ⇄ PostgreSQL) from its Pulumi stack.")
        .option(
            "--stack <name>",
            "the Pulumi stack whose outputs name Connect, Kafka, the databases, the monitor (env TANDEM_STACK; default local)",
        )
        .option("--connect-url <url>", "Kafka Connect's REST API, instead of the stack's (env TANDEM_CONNECT_URL)")
        .option("--connect-user <name>", "Connect basic-auth user (password from env TANDEM_CONNECT_PASSWORD)")
        .option("--bootstrap-server <list>", "Kafka bootstrap servers, instead of the stack's (env TANDEM_BOOTSTRAP_SERVER)")
        .option("--monitor-url <url>", "the health monitor, instead of the stack's (env TANDEM_MONITOR_URL)")
        .addOption(new Option("-o, --output <format>", "output format").choices([...FORMATS]).default("table"))
        .showHelpAfterError()
        .addHelpText(
            "after",
            "\nExamples:\n  $ tandem status\n  $ tandem connectors list -o json\n  $ tandem topics tail tandem.mysql-to-postgres.app.orders --limit 5\n  $ tandem --stack prod dlq list\n",
        );
    for (const command of [
        statusCommand(),
        monitorCommand(),
        connectorsCommand(),
        topicsCommand(),
        dlqCommand(),
        reconcileCommand(),
        logsCommand(),
        loadCommand(),
        loadtestCommand(),
        healthMonitorCommand(),
        completionCommand(tandemProgram),
    ])
        program.addCommand(command);
    for (const command of allCommands(program)) {
        // Commander's own usage errors (unknown option, missing argument) exit 2 (bad usage), like kubectl's.
        command.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
        command.showHelpAfterError("(add --help for usage and examples)");
    }
    return program;
}

if (require.main === module) {
    tandemProgram()
        .parseAsync(process.argv)
        .catch((error: Error & { exitCode?: number }) => {
            process.stderr.write(`error: ${error.message}\n`);
            process.exit(error.exitCode ?? 1);
        });
}
