// Container images, pinned by version (and digest once an environment first pulls them), and our own images
// built from docker/<image>/Dockerfile. One place, so a reviewer sees every image a stack runs.
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

export const IMAGES = {
    kafka: "apache/kafka:4.1.1",
    prometheus: "prom/prometheus:v2.55.1",
    grafana: "grafana/grafana:11.3.0",
    kafkaUi: "provectuslabs/kafka-ui:v0.7.2",
    /** Base of our Connect image (docker/connect/Dockerfile): Eclipse Temurin 17 JRE. */
    connectBase: "eclipse-temurin:17.0.15_6-jre",
    /** Base of the health monitor's image (docker/monitor/Dockerfile): the Node.js of toolchain/versions.env. */
    monitorBase: "node:22.23.5-bookworm-slim",
} as const;

/** Our own images: docker/<image>/Dockerfile, built with the repository as context (.dockerignore trims it). */
export type OwnImage = "connect" | "monitor";

const REPO_ROOT = path.resolve(__dirname, "..");
/** Where dev keeps each image in the local engine (tagged with the resource's name). */
const LOCAL_NAMES: Record<OwnImage, string> = { connect: "tandem-connect", monitor: "tandem-health-monitor" };

export function ownImageBuild(image: OwnImage) {
    return { context: REPO_ROOT, dockerfile: path.join(REPO_ROOT, "docker", image, "Dockerfile"), platform: "linux/amd64" };
}

/**
 * Builds one of our images as the resource `<name>-image` of `parent`. local: kept in the Docker engine as
 * `tandem-<image>:<name>`, run by that name (dev). ecr: pushed to `repositoryUrl`, or to an ECR repository
 * `<name>-repo` created here (immutable tags, scanned on push), and run by digest (prod).
 */
export function buildOwnImage(
    name: string,
    image: OwnImage,
    registry: { kind: "local" } | { kind: "ecr"; repositoryUrl?: pulumi.Input<string> },
    parent: pulumi.Resource,
): pulumi.Output<string> {
    const opts = { parent };
    const build = ownImageBuild(image);
    if (registry.kind === "local") {
        return new docker.Image(`${name}-image`, { imageName: `${LOCAL_NAMES[image]}:${name}`, build, skipPush: true }, opts).imageName;
    }
    const repositoryUrl = registry.repositoryUrl
        ? pulumi.output(registry.repositoryUrl)
        : new aws.ecr.Repository(
              `${name}-repo`,
              { imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "IMMUTABLE" },
              opts,
          ).repositoryUrl;
    const token = aws.ecr.getAuthorizationTokenOutput({}, opts);
    return new docker.Image(
        `${name}-image`,
        {
            imageName: pulumi.interpolate`${repositoryUrl}:${name}`,
            build,
            registry: { server: repositoryUrl, username: token.userName, password: pulumi.secret(token.password) },
        },
        opts,
    ).repoDigest;
}
