// Our own images' Dockerfiles against components/images.ts (the base images it pins) and the build context
// they share (the repository root, trimmed by .dockerignore). Docker cannot run here: the files are read.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { IMAGES, ownImageBuild } from "../../components/images";

const ROOT = path.resolve(__dirname, "..", "..");
const dockerfile = (image: "connect" | "monitor") => fs.readFileSync(ownImageBuild(image).dockerfile, "utf8");
const froms = (text: string) => [...text.matchAll(/^FROM (\S+)/gm)].map((match) => match[1]);
/** Sources of the COPY lines that read the build context (not another stage). */
const copied = (text: string) =>
    [...text.matchAll(/^COPY (?!--from)(.+)$/gm)]
        .flatMap((match) => match[1].trim().split(/\s+/).slice(0, -1))
        .map((src) => src.replace(/\/$/, ""));
const ignored = fs
    .readFileSync(path.join(ROOT, ".dockerignore"), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));

describe("our images: Dockerfiles and build context", () => {
    it("build from the repository root with docker/<image>/Dockerfile", () => {
        for (const image of ["connect", "monitor"] as const) {
            const build = ownImageBuild(image);
            assert.equal(build.context, ROOT);
            assert.equal(build.dockerfile, path.join(ROOT, "docker", image, "Dockerfile"));
        }
    });

    it("run on the base images components/images.ts pins", () => {
        assert.equal(froms(dockerfile("connect")).at(-1), IMAGES.connectBase);
        assert.deepEqual(froms(dockerfile("monitor")), [IMAGES.monitorBase, IMAGES.monitorBase]);
    });

    it("the monitor's image: compiled JavaScript, production dependencies, a non-root user, port 8084, `tandem health-monitor`", () => {
        const text = dockerfile("monitor");
        assert.match(text, /^RUN npx tsc -p docker\/monitor\/tsconfig\.json$/m);
        assert.match(text, /^RUN npm ci --omit=dev /m);
        assert.match(text, /^USER 1000:1000$/m);
        assert.match(text, /^EXPOSE 8084$/m);
        assert.match(text, /^CMD \["node", "dist\/cli\/tandem\.js", "health-monitor"\]$/m);
        const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, "docker", "monitor", "tsconfig.json"), "utf8"));
        assert.deepEqual(tsconfig.files, ["../../cli/tandem.ts"]);
        assert.equal(path.resolve(ROOT, "docker", "monitor", tsconfig.compilerOptions.outDir), path.join(ROOT, "dist"));
    });

    it("keep dependencies, local state and secrets out of the build context, and nothing a Dockerfile copies", () => {
        for (const entry of [".git", "**/node_modules", "dist", ".sandbox", ".pulumi-state", ".scratch", "Pulumi.*.yaml"])
            assert.ok(ignored.includes(entry), entry);
        for (const source of [...copied(dockerfile("connect")), ...copied(dockerfile("monitor"))]) {
            if (source === ".") continue;
            assert.ok(fs.existsSync(path.join(ROOT, source)), `${source} exists`);
            const hit = ignored.find((pattern) => source === pattern || source.startsWith(`${pattern}/`));
            assert.equal(hit, undefined, `${source} is copied by a Dockerfile but .dockerignore drops ${hit}`);
        }
    });
});
