// Pulumi mocks for what cannot run here (Docker, AWS, Kubernetes): records every resource registered.
import * as pulumi from "@pulumi/pulumi";
import { DevEnvironmentArgs, DeployedEnvironment, ProdEnvironmentArgs } from "../../components/environment";

export interface Registered {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

export function mock(stack: string): Registered[] {
    const registered: Registered[] = [];
    void pulumi.runtime.setMocks(
        {
            newResource(args) {
                registered.push({ type: args.type, name: args.name, inputs: args.inputs });
                const state: Record<string, unknown> = { ...args.inputs };
                if (args.type === "aws:msk/cluster:Cluster") state.bootstrapBrokersSaslIam = "b-1.msk:9098,b-2.msk:9098,b-3.msk:9098";
                if (args.type === "aws:ecr/repository:Repository")
                    state.repositoryUrl = "123.dkr.ecr.eu-west-1.amazonaws.com/tandem-connect";
                if (args.type === "docker:index/image:Image")
                    state.repoDigest = `${String(args.inputs.imageName)}@sha256:${"0".repeat(64)}`;
                if (args.type === "docker:index/network:Network" || args.type === "docker:index/container:Container")
                    state.name = args.inputs.name;
                // Kubernetes names: the explicit one, else the resource name (real autonaming adds a suffix).
                if (args.type.startsWith("kubernetes:"))
                    state.metadata = { name: args.name, ...(args.inputs.metadata as object | undefined) };
                // GeneratedPassword (database/sqlObjects.ts): a recognisable value to look for in other inputs.
                if (args.type === "pulumi-nodejs:dynamic/tandem:GeneratedPassword") state.value = generatedPassword(args.name);
                return { id: `${args.name}-id`, state };
            },
            call(args) {
                if (args.token === "aws:ecr/getAuthorizationToken:getAuthorizationToken")
                    return { userName: "AWS", password: "ecr-token", proxyEndpoint: "https://ecr" };
                return {};
            },
        },
        "tandem",
        stack,
        false,
    );
    return registered;
}

export const generatedPassword = (resourceName: string) => `generated-${resourceName}`;

export async function settle(environment: DeployedEnvironment): Promise<void> {
    await new Promise<void>((resolve) => pulumi.all([environment.connectUrl, environment.bootstrapServers]).apply(() => resolve()));
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

export const of = (registered: Registered[], type: string) => registered.filter((r) => r.type === type);

export const DEV_ARGS: DevEnvironmentArgs = {
    prefix: "tandem",
    maxRowBytes: 8 * 1024 * 1024,
    tables: ["orders"],
    mysqlDatabase: "app",
    postgresSchema: "public",
    hostSecretsDir: "/var/lib/tandem/secrets",
};

export const PROD_ARGS: ProdEnvironmentArgs = {
    prefix: "tandem",
    maxRowBytes: 8 * 1024 * 1024,
    tables: ["orders"],
    mysqlDatabase: "app",
    postgresSchema: "public",
    subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
    securityGroupIds: ["sg-1"],
    kubeconfig: "{}",
    namespace: "tandem",
    connectUrl: "https://connect.tandem.internal",
    connectRestPassword: "rest-password",
    connectIamRoleArn: "arn:aws:iam::123456789012:role/tandem-connect",
    mysqlParameterFamily: "mysql8.0",
    postgresParameterFamily: "postgres15",
};
