// The provider runs from the source text Pulumi serializes into the state, not from this module. These
// tests serialize it the way pulumi.dynamic.Resource does and exercise the deserialized copy.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { connectorProvider } from "../../connectors/connectorProvider";
import { ConnectorInputs, ConnectorOutputs, hashSensitiveConfig } from "../../connectors/connectorModel";
import { connectError } from "../../connectors/connectClient";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString: (code: string) => { handler: () => pulumi.dynamic.ResourceProvider } = require("require-from-string");

const inputs: ConnectorInputs = {
    connectUrl: "http://127.0.0.1:18083",
    name: "c1",
    connectorClass: "io.debezium.connector.jdbc.JdbcSinkConnector",
    config: { "tasks.max": "1" },
    sensitiveConfig: { "connection.password": "pw" },
    secretsDir: "/tmp/secrets",
};

const { sensitiveConfig: _sensitive, ...inputsWithoutSecrets } = inputs;
const outputs: ConnectorOutputs = {
    ...inputsWithoutSecrets,
    sensitiveHashes: hashSensitiveConfig("salt", { "connection.password": "pw" }),
    sensitiveSalt: "salt",
    connectorState: "RUNNING",
    tasks: [],
    workerId: "w",
    connectorType: "sink",
    topics: [],
};

describe("connectorProvider (as serialized into the state)", () => {
    let provider: pulumi.dynamic.ResourceProvider;

    before(async () => {
        const serialized = await pulumi.runtime.serializeFunction(() => connectorProvider, { allowSecrets: true });
        provider = requireFromString(serialized.text).handler();
    });

    it("checks inputs", async () => {
        const result = await provider.check!({}, { ...inputs, name: "" });
        assert.deepEqual(
            result.failures?.map((failure) => failure.property),
            ["name"],
        );
    });

    it("diffs: in-place update, replacement", async () => {
        const updated = await provider.diff!("c1", outputs, { ...inputs, config: { ...inputs.config, "tasks.max": "2" } });
        assert.deepEqual({ changes: updated.changes, replaces: updated.replaces }, { changes: true, replaces: [] });
        const rotated = await provider.diff!("c1", outputs, { ...inputs, sensitiveConfig: { "connection.password": "new" } });
        assert.equal(rotated.changes, true);
        const renamed = await provider.diff!("c1", outputs, { ...inputs, name: "c2" });
        assert.deepEqual(renamed.replaces, ["name"]);
        assert.equal(renamed.deleteBeforeReplace, true);
    });

    it("refuses at check to take over a connector another stack's marker claims; takes over an unmarked or its own", async () => {
        // A stand-in Connect holding c1 with the config given; validation answers no errors.
        let live: Record<string, string> | undefined;
        const server = http.createServer((request, response) => {
            const reply = (status: number, body: unknown) => {
                response.writeHead(status, { "Content-Type": "application/json" });
                response.end(JSON.stringify(body));
            };
            if (request.method === "GET" && request.url === "/connectors/c1/config") {
                return live ? reply(200, live) : reply(404, { error_code: 404, message: "Connector c1 not found" });
            }
            if (request.method === "PUT" && request.url?.endsWith("/config/validate")) {
                return reply(200, { name: inputs.connectorClass, error_count: 0, configs: [] });
            }
            reply(404, { error_code: 404, message: `no ${request.method} ${request.url}` });
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
            const { port } = server.address() as { port: number };
            const ours = { ...inputs, connectUrl: `http://127.0.0.1:${port}`, owner: "tandem/local" };
            const refusals = async (olds: Partial<ConnectorOutputs> = {}) =>
                ((await provider.check!(olds, ours)).failures ?? []).map((failure) => `${failure.property}: ${failure.reason}`);

            live = { ...inputs.config, name: "c1", "tandem.owner": "tandem/staging" };
            const [refusal, ...more] = await refusals();
            assert.deepEqual(more, []);
            assert.match(refusal, /^name: connector c1 on http:\/\/127\.0\.0\.1:\d+ belongs to stack tandem\/staging, not tandem\/local/);
            assert.match(
                refusal,
                /Choose another tandem:topicPrefix .*`tandem connectors delete c1 --connect-url http:\/\/127\.0\.0\.1:\d+`/,
            );
            // Recorded in this stack already: not judged again.
            assert.deepEqual(await refusals({ ...outputs, connectUrl: ours.connectUrl }), []);
            live = { ...inputs.config, name: "c1", "tandem.owner": "tandem/local" };
            assert.deepEqual(await refusals(), []);
            live = { ...inputs.config, name: "c1" }; // made by hand, or by a version before the marker
            assert.deepEqual(await refusals(), []);
            live = undefined;
            assert.deepEqual(await refusals(), []);
        } finally {
            server.close();
        }
    });

    it("retries 409 answers of a rebalancing worker, then succeeds (with REST basic auth)", async () => {
        // A stand-in Connect behind basic auth: the first two config PUTs hit a rebalance (409), then the
        // connector runs.
        let puts = 0;
        const expectedAuth = `Basic ${Buffer.from("admin:rest-secret").toString("base64")}`;
        const server = http.createServer((request, response) => {
            const reply = (status: number, body: unknown) => {
                response.writeHead(status, { "Content-Type": "application/json" });
                response.end(JSON.stringify(body));
            };
            if (request.headers.authorization !== expectedAuth) return reply(401, { error_code: 401, message: "Unauthorized" });
            if (request.method === "PUT" && request.url === "/connectors/c1/config") {
                puts += 1;
                if (puts <= 2)
                    return reply(409, {
                        error_code: 409,
                        message: "Cannot complete request because of a conflicting operation (e.g. worker rebalance)",
                    });
                return reply(201, {});
            }
            if (request.url === "/connectors/c1/status") {
                if (puts < 3) return reply(404, { error_code: 404, message: "No status found for connector c1" });
                return reply(200, {
                    name: "c1",
                    type: "sink",
                    connector: { state: "RUNNING", worker_id: "w1" },
                    tasks: [{ id: 0, state: "RUNNING", worker_id: "w1" }],
                });
            }
            if (request.url === "/connectors/c1/topics") return reply(200, { c1: { topics: ["t1"] } });
            if (request.method === "PUT" && request.url === "/connectors/c1/resume") return reply(202, {});
            reply(500, { error_code: 500, message: `unexpected ${request.method} ${request.url}` });
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const secretsDir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-secrets-"));
        try {
            const { port } = server.address() as { port: number };
            const url = `http://127.0.0.1:${port}`;
            await assert.rejects(provider.create({ ...inputs, connectUrl: url, secretsDir }), /answered 401: Unauthorized/);
            const result = await provider.create({
                ...inputs,
                connectUrl: url,
                secretsDir,
                auth: { username: "admin", password: "rest-secret" },
            });
            assert.equal(puts, 3);
            assert.equal(result.outs.connectorState, "RUNNING");
            assert.deepEqual(result.outs.topics, ["t1"]);
            assert.ok(!JSON.stringify(result.outs).includes('"pw"'), "outputs hold no sensitive value");
        } finally {
            server.close();
            fs.rmSync(secretsDir, { recursive: true, force: true });
        }
    });

    it("fails create with Connect's own message (errors survive serialization)", async () => {
        // A stand-in Connect: no such connector yet, and 400 (not retried) to the config.
        const server = http.createServer((request, response) => {
            if (request.method === "GET") {
                response.writeHead(404, { "Content-Type": "application/json" });
                response.end(JSON.stringify({ error_code: 404, message: "Connector c1 not found" }));
                return;
            }
            response.writeHead(400, { "Content-Type": "application/json" });
            response.end(JSON.stringify({ error_code: 400, message: "Connector config contains no connector type" }));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const secretsDir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-secrets-"));
        try {
            const { port } = server.address() as { port: number };
            await assert.rejects(provider.create({ ...inputs, connectUrl: `http://127.0.0.1:${port}`, secretsDir }), (error: Error) => {
                assert.match(
                    error.message,
                    /PUT http:\/\/127\.0\.0\.1:\d+\/connectors\/c1\/config answered 400: Connector config contains no connector type/,
                );
                return true;
            });
            // The secret file was written for the worker, readable only by its owner.
            const secretFile = path.join(secretsDir, "c1", "connection.password");
            assert.equal(fs.readFileSync(secretFile, "utf8"), "pw");
            assert.equal(fs.statSync(secretFile).mode & 0o777, 0o600);
        } finally {
            server.close();
            fs.rmSync(secretsDir, { recursive: true, force: true });
        }
    });
});

describe("connectClient helpers", () => {
    it("connectError keeps its message and status", () => {
        const error = connectError("PUT /connectors/x/config answered 409: rebalance", 409);
        assert.equal(error.message, "PUT /connectors/x/config answered 409: rebalance");
        assert.equal(error.status, 409);
        assert.ok(error instanceof Error);
    });
});
