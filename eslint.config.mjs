// ESLint (typescript-eslint's recommended rules, type-aware), run by `npm test` (`npm run lint:code`).
// Formatting is Prettier's job (.prettierrc.json); this file holds only rules about the code itself.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    {
        ignores: ["node_modules/", "dist/", ".sandbox/", ".pulumi-state/", ".scratch/", "connect-plugins/", "toolchain/"],
    },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        // Config files and mocha's reporter: CommonJS run by Node.
        files: ["**/*.cjs", "**/*.js"],
        languageOptions: {
            sourceType: "commonjs",
            globals: { module: "writable", require: "readonly", process: "readonly", __dirname: "readonly" },
        },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        files: ["**/*.ts"],
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        rules: {
            // Unused bindings are compile errors already (tsconfig noUnusedLocals); `_`-prefixed ones are deliberate.
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
            ],
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-misused-promises": "error",
            "@typescript-eslint/await-thenable": "error",
        },
    },
    {
        // Code that runs inside Pulumi dynamic providers is serialized with its closures, not its imports:
        // it loads its modules at run time with require().
        files: [
            "connectors/connectClient.ts",
            "connectors/connectorModel.ts",
            "connectors/connectorProvider.ts",
            "connectors/connectorPositions.ts",
            "connectors/workerSecrets.ts",
            "database/*.ts",
            "host/localProcessProvider.ts",
            "kafka/topicProvider.ts",
            "kafka/aclProvider.ts",
            "kafka/topicsTeardownProvider.ts",
            "kafka/kafkaAdmin.ts",
        ],
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
);
