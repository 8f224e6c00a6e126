// The `tandem` command's front door: help exits 0, bad usage exits 2 naming what is wrong (no stack needed).
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const TANDEM = path.resolve(__dirname, "..", "..", "bin", "tandem");
const run = (args: string[]) => spawnSync(TANDEM, args, { encoding: "utf8" });

describe("tandem CLI", function () {
    this.timeout(30_000);

    it("prints help with exit 0, listing its commands", () => {
        const help = run(["--help"]);
        assert.equal(help.status, 0);
        assert.match(help.stdout, /loadtest/);
        assert.match(help.stdout, /load \[options\]/);
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
        const output = run(["load", "-o", "yaml"]);
        assert.equal(output.status, 2);
        assert.match(output.stderr, /Allowed choices are text, json/);
    });

    it("monitor: exits 2 on bad usage, and 1 naming every problem when its settings are missing or wrong", () => {
        const port = run(["monitor", "--stack", "no-such-stack", "--port", "70000"]);
        assert.equal(port.status, 2);
        assert.match(port.stderr, /--port must be a port number, got 70000/);
        const bare = spawnSync(TANDEM, ["monitor"], {
            encoding: "utf8",
            env: { ...process.env, TANDEM_MONITOR_SETTINGS: '{"prefix":"p"}' },
        });
        assert.equal(bare.status, 1);
        assert.match(bare.stderr, /invalid health monitor settings:/);
        assert.match(bare.stderr, /mysql\.host: must be a non-empty string/);
        assert.match(bare.stderr, /TANDEM_MONITOR_POSTGRES_PASSWORD: not set/);
    });
});
