// The command line of the preview summary: `pulumi preview --json` from a file or stdin → Markdown on stdout.
// scripts/preview-summary wraps it for .github/workflows/preview.yml.
import * as fs from "node:fs";
import { parsePreviewJson } from "./read";
import { summarizePreview } from "./render";

const USAGE = `usage: previewSummary.ts [--stack <name>] [preview.json]
Reads \`pulumi preview --json\` output from the file (or stdin) and prints a Markdown summary.`;

export function main(argv: string[]): number {
    let stack: string | undefined;
    let file: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "-h" || arg === "--help") {
            process.stdout.write(`${USAGE}\n`);
            return 0;
        } else if (arg === "--stack" || arg === "-s") {
            stack = argv[++i];
            if (!stack) {
                process.stderr.write(`--stack needs a value\n${USAGE}\n`);
                return 2;
            }
        } else if (arg.startsWith("--stack=")) {
            stack = arg.slice("--stack=".length);
        } else if (arg.startsWith("-") && arg !== "-") {
            process.stderr.write(`unknown option ${arg}\n${USAGE}\n`);
            return 2;
        } else if (file === undefined) {
            file = arg;
        } else {
            process.stderr.write(`one input file only\n${USAGE}\n`);
            return 2;
        }
    }
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
