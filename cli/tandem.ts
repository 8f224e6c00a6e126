// `tandem`: the operators' command line. One command per file in cli/commands/, registered here; each command
// prints for people by default and JSON with `-o json`, and exits 0 on success, 1 when what it checks failed,
// 2 on bad usage.
import { Command } from "commander";
import { loadCommand } from "./commands/load";
import { loadtestCommand } from "./commands/loadtest";
import { monitorCommand } from "./commands/monitor";

export function tandemProgram(): Command {
    const program = new Command("tandem")
        .description("Operate a tandem bidirectional sync (MySQL/MariaDB ⇄ PostgreSQL).")
        .showHelpAfterError();
    program.addCommand(loadCommand());
    program.addCommand(loadtestCommand());
    program.addCommand(monitorCommand());
    // commander's own usage errors (unknown option, missing argument) exit 2 (bad usage), like kubectl's.
    for (const command of [program, ...program.commands]) command.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
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
