// Asking before something that cannot be undone: `--yes` skips the question; without a terminal to ask on,
// the command refuses (exit 2) rather than guess.
import * as readline from "readline/promises";
import { CliError, UsageError } from "./errors";

export async function confirm(question: string, yes: boolean | undefined): Promise<void> {
    if (yes) return;
    if (!process.stdin.isTTY) throw new UsageError(`${question} — no terminal to ask on: add --yes`);
    const prompt = readline.createInterface({ input: process.stdin, output: process.stderr });
    try {
        const answer = (await prompt.question(`${question} [y/N] `)).trim().toLowerCase();
        if (answer !== "y" && answer !== "yes") throw new CliError("cancelled, nothing changed");
    } finally {
        prompt.close();
    }
}
