// Invalid or missing stack config fails a real `pulumi preview` (CLI + language host) before anything is
// created, every bad key named — for the prod and dev shapes, which need no cloud for this check.
import * as assert from "node:assert/strict";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { REPO_ROOT } from "../support/sandbox";
import { e2eSuite } from "../support/e2eSuite";

e2eSuite("e2e: stack config errors at preview", { timeout: 5 * 60 * 1000, bail: false, usesSandbox: false }, () => {
    const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e3)}`;
    const stacks: Stack[] = [];

    async function stackWith(
        name: string,
        config: Record<string, string>,
        secrets: Record<string, string>,
        lists: Record<string, string[]> = {},
    ): Promise<Stack> {
        const stack = await LocalWorkspace.createOrSelectStack({ stackName: `${name}-${suffix}`, workDir: REPO_ROOT });
        stacks.push(stack);
        await stack.setAllConfig({
            "tandem:mysqlUser": { value: "tandem_admin" },
            "tandem:postgresUser": { value: "tandem_admin" },
            "tandem:mysqlPassword": { value: "unused", secret: true },
            "tandem:postgresPassword": { value: "unused", secret: true },
            ...Object.fromEntries(Object.entries(config).map(([key, value]) => [key, { value }])),
            ...Object.fromEntries(Object.entries(secrets).map(([key, value]) => [key, { value, secret: true }])),
        });
        // Typed arrays are set item by item (path syntax), as `pulumi config set --path` does.
        for (const [key, items] of Object.entries({ "tandem:tables": ["demo_items"], ...lists })) {
            for (const [index, item] of items.entries()) await stack.setConfig(`${key}[${index}]`, { value: item }, true);
        }
        return stack;
    }

    async function previewError(stack: Stack): Promise<string> {
        return stack.preview().then(
            () => assert.fail("preview succeeded"),
            (failure: Error) => failure.message,
        );
    }

    after(async () => {
        for (const stack of stacks) await stack.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
    });

    it("prod: names every missing or invalid key, and refuses a plaintext kubeconfig", async () => {
        const stack = await stackWith(
            "cfgprod",
            {
                "tandem:environment": "prod",
                "tandem:connectUrl": "https://connect.internal",
                "tandem:kubeconfig": "apiVersion: v1",
                "tandem:topicMinInsyncReplicas": "4",
            },
            {},
            { "tandem:awsSubnetIds": ["subnet-0a1b2c3d4e5f60001"] },
        );
        const message = await previewError(stack);
        for (const expected of [
            "invalid stack configuration:",
            "tandem:awsSubnetIds must list 3 private subnets (one per broker and availability zone), got 1",
            "tandem:awsSecurityGroupIds must list at least one security group",
            "tandem:connectRestPassword is required on prod",
            "tandem:kubeconfig must be set as a secret: pulumi config set --secret tandem:kubeconfig",
            "tandem:topicMinInsyncReplicas (4) cannot exceed the replication factor 3",
            "tandem:connectIamRoleArn is required",
        ]) {
            assert.ok(message.includes(expected), `missing "${expected}" in:\n${message}`);
        }
        assert.doesNotMatch(message, /apiVersion: v1/, "the plaintext value is not echoed");
        assert.equal((await stack.exportStack()).deployment.resources?.length ?? 0, 0, "nothing created");
    });

    it("dev: refuses the addresses the stack creates itself", async () => {
        const stack = await stackWith(
            "cfgdev",
            {
                "tandem:environment": "dev",
                "tandem:connectUrl": "http://127.0.0.1:18083",
                "tandem:kafkaBootstrapServers": "127.0.0.1:19092",
            },
            {},
        );
        const message = await previewError(stack);
        assert.ok(message.includes("tandem:connectUrl must not be set on a dev stack"), message);
        assert.ok(
            message.includes("tandem:kafkaBootstrapServers must not be set on a dev stack: the stack creates its Kafka cluster"),
            message,
        );
    });
});
