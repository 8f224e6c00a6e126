// The shape every command shares: an action that gets the session, whose errors become one readable line
// (cli/errors.ts), and whose returned number is the exit code (1 when what it checked found a problem); help
// that ends with examples.
import { Command } from "commander";
import { Session } from "./session";

type Action<A extends unknown[]> = (session: Session, ...args: A) => Promise<number | void>;

/** Wraps an action: commander passes the positional arguments, then the options, then the command itself. */
export function act<A extends unknown[]>(action: Action<A>): (...args: unknown[]) => Promise<void> {
    return async (...args: unknown[]) => {
        const command = args[args.length - 1] as Command;
        const session = Session.of(command);
        try {
            const code = await action(session, ...(args.slice(0, -1) as A));
            if (typeof code === "number" && code !== 0) process.exitCode = code;
        } catch (error) {
            throw session.explain(error);
        }
    };
}

/** A command with a description and examples shown by `--help`. */
export function command(name: string, description: string, examples: string[]): Command {
    return new Command(name)
        .description(description)
        .addHelpText("after", `\nExamples:\n${examples.map((example) => `  $ ${example}`).join("\n")}\n`);
}

/** A group of subcommands (`tandem connectors …`): `--help` lists them, no action of its own. */
export function group(name: string, description: string, commands: Command[]): Command {
    const parent = new Command(name).description(description);
    for (const child of commands) parent.addCommand(child);
    return parent;
}
