// `tandem completion`: the generated scripts are run for real (bash, and zsh where installed) on a small command tree,
// the way the shells call them on Tab, and the candidates they offer are checked.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Command, Option } from "commander";
import { completionCommand, completionScript } from "../../cli/completion";

function tree(): Command {
    const program = new Command("tandem").option("--stack <name>", "the Pulumi stack").option("-o, --output <format>", "output format");
    const connectors = program.command("connectors").alias("conn");
    connectors.command("list");
    connectors.command("restart").option("--failed-only");
    const offsets = connectors.command("offsets");
    offsets.command("get");
    offsets.command("reset").addOption(new Option("--to <position>").choices(["earliest", "latest"]));
    program.command("status").option("--config <file>").addOption(new Option("--secret").hideHelp());
    return program;
}

const hasZsh = spawnSync("sh", ["-c", "command -v zsh"]).status === 0;

describe("tandem completion", function () {
    this.timeout(30_000);
    let dir: string;
    const scripts = { bash: "", zsh: "" };

    before(() => {
        // The stacks --stack offers come from the Pulumi.<stack>.yaml files in the current directory.
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-completion-"));
        for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"]) fs.writeFileSync(path.join(dir, file), "");
        for (const shell of ["bash", "zsh"] as const) {
            scripts[shell] = path.join(dir, `tandem.${shell}`);
            fs.writeFileSync(scripts[shell], completionScript(tree(), shell));
        }
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** What the script offers on Tab after `words` (the last one being the word under the cursor). */
    function bashComplete(...words: string[]): string[] {
        const script = 'source "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tandem; printf "%s\\n" "${COMPREPLY[@]}"';
        const run = spawnSync("bash", ["--norc", "--noprofile", "-c", script, scripts.bash, ...words], { cwd: dir, encoding: "utf8" });
        assert.equal(run.stderr, "");
        assert.equal(run.status, 0);
        return run.stdout.split("\n").filter(Boolean);
    }

    it("bash: lists every command path, alias and option of the tree", () => {
        const script = fs.readFileSync(scripts.bash, "utf8");
        for (const text of ["'|connectors'|'|conn'", "'connectors|restart'", "'connectors offsets|reset'", "'|status'"])
            assert.ok(script.includes(text), text);
        assert.match(script, /'connectors restart'\) subs='' flags='--failed-only -h --help --stack -o --output'/);
        assert.doesNotMatch(script, /flags='[^']*--secret/, "hidden options are not offered");
        assert.match(script, /^complete -F _tandem tandem$/m);
        assert.equal(spawnSync("bash", ["-n", scripts.bash]).status, 0);
    });

    it("bash: offers the subcommands of the deepest command typed, and options on a dash", () => {
        assert.deepEqual(bashComplete("tandem", ""), ["connectors", "status", "help"]);
        assert.deepEqual(bashComplete("tandem", "connectors", ""), ["list", "restart", "offsets", "help"]);
        assert.deepEqual(bashComplete("tandem", "connectors", "-"), ["-h", "--help", "--stack", "-o", "--output"]);
        assert.deepEqual(bashComplete("tandem", "conn", "offsets", "r"), ["reset"]);
        assert.deepEqual(bashComplete("tandem", "connectors", "restart", "--f"), ["--failed-only"]);
        // A command without subcommands offers its options, and the global ones.
        assert.deepEqual(bashComplete("tandem", "status", ""), ["--config", "-h", "--help", "--stack", "-o", "--output"]);
        // An option's value is not a command: "status" here is the stack's name.
        assert.deepEqual(bashComplete("tandem", "--stack", "status", "connectors", "offsets", ""), ["get", "reset", "help"]);
        assert.deepEqual(bashComplete("tandem", "-o", "json", "--stack", "=", "dev", "connectors", "l"), ["list"]);
    });

    it("bash: completes option values: formats, stacks, choices, files", () => {
        assert.deepEqual(bashComplete("tandem", "-o", "j"), ["json"]);
        assert.deepEqual(bashComplete("tandem", "connectors", "--output", ""), ["json", "yaml", "table"]);
        assert.deepEqual(bashComplete("tandem", "--stack", ""), ["dev", "prod"]);
        assert.deepEqual(bashComplete("tandem", "status", "--stack", "=", "p"), ["prod"]);
        assert.deepEqual(bashComplete("tandem", "connectors", "offsets", "reset", "--to", ""), ["earliest", "latest"]);
        assert.deepEqual(bashComplete("tandem", "status", "--config", "Pulumi.d"), ["Pulumi.dev.yaml"]);
        // An option being typed where a value could be is an option.
        assert.deepEqual(bashComplete("tandem", "--stack", "--out"), ["--output"]);
    });

    it("zsh: runs the same script through zsh's bash completion layer", function () {
        const script = fs.readFileSync(scripts.zsh, "utf8");
        assert.match(script, /^#compdef tandem\nautoload -U \+X bashcompinit && bashcompinit\n/);
        assert.ok(script.includes(completionScript(tree(), "bash")));
        if (!hasZsh) return; // no zsh on this machine: the text above is all that can be checked
        assert.equal(spawnSync("zsh", ["-n", scripts.zsh]).status, 0);
        // compgen -F calls the function as zsh's _bash_complete does (zsh, not compgen, then filters by the typed prefix).
        const zshComplete = (...words: string[]) => {
            const run = spawnSync(
                "zsh",
                [
                    "-f",
                    "-c",
                    'autoload -U compinit && compinit -u -D; source "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); compgen -F _tandem -- x',
                    scripts.zsh,
                    ...words,
                ],
                { cwd: dir, encoding: "utf8", env: { ...process.env, HOME: dir } },
            );
            assert.equal(run.stderr, "");
            return run.stdout.split("\n").filter(Boolean);
        };
        assert.deepEqual(zshComplete("tandem", "conn", "offsets", ""), ["get", "reset", "help"]);
        assert.deepEqual(zshComplete("tandem", "--stack", ""), ["dev", "prod"]);
        assert.deepEqual(zshComplete("tandem", "--output=j"), ["--output=json", "--output=yaml", "--output=table"]);
    });

    it("the completion command prints the script for its program, and exits 2 naming the shells on an unknown one", async () => {
        const program = tree().exitOverride();
        program.addCommand(completionCommand(() => program));
        let printed = "";
        const write = process.stdout.write.bind(process.stdout);
        process.stdout.write = (chunk: string | Uint8Array) => ((printed += String(chunk)), true);
        try {
            await program.parseAsync(["completion", "bash"], { from: "user" });
        } finally {
            process.stdout.write = write;
        }
        assert.equal(printed, completionScript(program, "bash"));
        assert.match(printed, /'\|completion'\) echo 'completion'/);
        await assert.rejects(program.parseAsync(["completion", "fish"], { from: "user" }), (error: Error & { exitCode?: number }) => {
            assert.equal(error.exitCode, 2);
            assert.match(error.message, /"fish".*bash, zsh/);
            return true;
        });
        let help = "";
        const completion = program.commands.find((command) => command.name() === "completion")!;
        completion.configureOutput({ writeOut: (text) => (help += text) }).outputHelp();
        assert.ok(help.includes("source <(tandem completion bash)"));
        assert.ok(help.includes('tandem completion zsh > "${fpath[1]}/_tandem"'));
    });
});
