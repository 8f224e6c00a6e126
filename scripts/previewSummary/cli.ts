// The command line of the preview summary: `pulumi preview --json` from a file or stdin → Markdown on stdout.
// scripts/preview-summary wraps it for .github/workflows/preview.yml.
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { parsePreviewJson } from "./read";
import { summarizePreview } from "./render";

const USAGE = `usage: scripts/preview-summary [--stack <name>] [preview.json]
Reads \`pulumi preview --json\` output from the file (or stdin) and prints a Markdown summary.`;

/** The arguments, or what is wrong with them in node:util's words (unknown option, missing value…). */
export function readArguments(argv: string[]): { help: boolean; stack?: string; file?: string } | { error: string } {
    try {
        const { values, positionals } = parseArgs({
            args: argv,
            options: { help: { type: "boolean", short: "h" }, stack: { type: "string", short: "s" } },
            allowPositionals: true,
            strict: true,
        });
        if (positionals.length > 1) return { error: "one input file only" };
        return { help: values.help === true, stack: values.stack, file: positionals[0] };
    } catch (error) {
        const { code, message } = error as Error & { code?: string };
        // Node's hint after an unknown option (how to pass a positional that starts with "-") is left out.
        return { error: code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? message.replace(/\. To specify a positional.*$/s, "") : message };
    }
}

/** Exit code: 0 with the summary on stdout, 1 when the input is not preview JSON, 2 on bad arguments. */
export function main(argv: string[]): number {
    const args = readArguments(argv);
    if ("error" in args) {
        process.stderr.write(`${args.error}\n${USAGE}\n`);
        return 2;
    }
    if (args.help) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    const { stack, file } = args;
    try {
        const text = fs.readFileSync(file === undefined || file === "-" ? 0 : file, "utf8");
        if (text.trim() === "") throw new Error("empty input: the preview printed nothing (see its stderr)");
        process.stdout.write(summarizePreview(parsePreviewJson(text), { stack }));
        return 0;
    } catch (error) {
        process.stderr.write(`previewSummary: ${(error as Error).message}\n`);
        return 1;
    }
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
