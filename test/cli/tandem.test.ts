// The `tandem` command's front door: help exits 0, bad usage exits 2 naming what is wrong (no stack needed).
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { tandemProgram } from "../../cli/tandem";

const TANDEM = path.resolve(__dirname, "..", "..", "bin", "tandem");
const run = (args: string[]) => spawnSync(TANDEM, args, { encoding: "utf8" });

describe("tandem CLI", function () {
    this.timeout(30_000);

    it("prints help with exit 0, listing its commands, with examples for each", () => {
        const help = run(["--help"]);
        assert.equal(help.status, 0);
        for (const name of ["status", "monitor", "connectors", "topics", "dlq", "logs", "load", "loadtest", "health-monitor", "completion"])
            assert.match(help.stdout, new RegExp(`^  ${name}\\b`, "m"), name);
        // Every command that acts (not the groups) ends its help with examples (read in process: one spawn each is slow).
        const leaves = (command: Command, trail: string[]): [string, Command][] =>
            command.commands.length
                ? command.commands.filter((child) => child.name() !== "help").flatMap((child) => leaves(child, [...trail, child.name()]))
                : [[trail.join(" "), command]];
        const found = leaves(tandemProgram(), []);
        assert.ok(found.length >= 23, found.map(([name]) => name).join(", "));
        for (const [name, command] of found) {
            let text = "";
            command.configureOutput({ writeOut: (chunk) => (text += chunk) });
            command.outputHelp();
            assert.match(text, /\nExamples:\n( {2}#.*\n)? {2}(\$ )?(source <\()?tandem /, name);
        }
    });

    it("matches the reviewed help of the top level (snapshot)", () => {
        const help = run(["--help"]).stdout;
        const snapshot = path.join(__dirname, "snapshots", "help.txt");
        if (process.env.UPDATE_SNAPSHOTS) fs.writeFileSync(snapshot, help);
        assert.equal(help, fs.readFileSync(snapshot, "utf8"));
    });

    it("exits 2 on bad usage, naming every bad flag", () => {
        const unknown = run(["loadtest", "--nope"]);
        assert.equal(unknown.status, 2);
        assert.match(unknown.stderr, /unknown option '--nope'/);
        const invalid = run(["loadtest", "--records", "0", "--mix", "insert:5"]);
        assert.equal(invalid.status, 2);
        assert.match(invalid.stderr, /--records must be a whole number/);
        assert.match(invalid.stderr, /--mix shares must add up to 100, got 5/);
    });

    it("load: exits 2 on a bad chunk size or output format, before touching any stack", () => {
        const chunk = run(["load", "--chunk-rows", "0", "--stack", "no-such-stack"]);
        assert.equal(chunk.status, 2);
        assert.match(chunk.stderr, /--chunk-rows must be a positive integer, got "0"/);
        const output = run(["load", "-o", "xml"]);
        assert.equal(output.status, 2);
        assert.match(output.stderr, /Allowed choices are table, json, yaml/);
    });

    it("health-monitor: exits 2 on bad usage, and 1 naming every problem when its settings are missing or wrong", () => {
        const port = run(["health-monitor", "--stack", "no-such-stack", "--port", "70000"]);
        assert.equal(port.status, 2);
        assert.match(port.stderr, /--port must be a port number, got 70000/);
        const bare = spawnSync(TANDEM, ["health-monitor"], {
            encoding: "utf8",
            env: { ...process.env, TANDEM_MONITOR_SETTINGS: '{"prefix":"p"}' },
        });
        assert.equal(bare.status, 1);
        assert.match(bare.stderr, /invalid health monitor settings:/);
        assert.match(bare.stderr, /mysql\.host: must be a non-empty string/);
        assert.match(bare.stderr, /TANDEM_MONITOR_POSTGRES_PASSWORD: not set/);
    });
});
