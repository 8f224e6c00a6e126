// The stack config keys as Pulumi.yaml declares them (names, types, defaults): the one list of them, read by the
// program (components/stackConfig.ts) and by operator tools that read a stack's config.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

export const CONFIG_NAMESPACE = "tandem";
/** The project file beside the program (this file lives one folder down). */
export const PROJECT_FILE = path.join(__dirname, "..", "Pulumi.yaml");

/** A config key as Pulumi.yaml declares it. */
export interface DeclaredKey {
    type: "string" | "integer" | "boolean" | "array";
    default?: unknown;
    secret?: boolean;
    description?: string;
}

/** The keys of the `tandem` namespace declared in Pulumi.yaml, by name without the namespace. */
export function configSchema(projectFile: string = PROJECT_FILE): Record<string, DeclaredKey> {
    const project = yaml.load(fs.readFileSync(projectFile, "utf8")) as { config?: Record<string, DeclaredKey> };
    const prefix = `${CONFIG_NAMESPACE}:`;
    return Object.fromEntries(
        Object.entries(project.config ?? {})
            .filter(([key]) => key.startsWith(prefix))
            .map(([key, declared]) => [key.slice(prefix.length), declared]),
    );
}

/** The settings a stack gets for the keys it leaves unset (Pulumi applies Pulumi.yaml's defaults the same way). */
export function configDefaults(schema: Record<string, DeclaredKey> = configSchema()): Record<string, unknown> {
    return Object.fromEntries(
        Object.entries(schema)
            .filter(([, declared]) => declared.default !== undefined)
            .map(([key, declared]) => [key, declared.default]),
    );
}
