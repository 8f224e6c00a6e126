// The layering of the code (docs/architecture.md), checked by `npm test` (`npm run lint:layers`): a wrong-way
// import fails with the rule's name, both files, and the comment saying why.
//
//   core/  ←  sql/, preflight/  ←  connectors/, database/, kafka/, host/  ←  components/  ←  index.ts
//                                  ↑ operator tools (scripts/, ops/, cli/, monitor/, reconcile/, loadtest/, bulkload/)
const TOOLS = "^(scripts|ops|cli|monitor|reconcile|loadtest|bulkload|bench)/";
const OURS_OUTSIDE = (...allowed) => `^(?!(${allowed.join("|")})/)(?!node_modules/)[^/]+/|^index\\.ts$`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
    forbidden: [
        {
            name: "core-imports-nothing-of-ours",
            comment: "core/ is the domain every layer shares: it may import only itself and libraries.",
            severity: "error",
            from: { path: "^core/" },
            to: { path: OURS_OUTSIDE("core") },
        },
        {
            name: "builders-import-core-only",
            comment: "sql/ and preflight/ are pure builders over the domain: core/ and themselves only.",
            severity: "error",
            from: { path: "^(sql|preflight)/" },
            to: { path: OURS_OUTSIDE("core", "$1") },
        },
        {
            name: "connectors-and-kafka-import-core-only",
            comment: "connectors/ and kafka/ (connector configs, REST and Kafka providers) build on core/ only.",
            severity: "error",
            from: { path: "^(connectors|kafka)/" },
            to: { path: OURS_OUTSIDE("core", "$1") },
        },
        {
            name: "host-imports-core-only",
            comment: "host/ runs processes on the machine running pulumi (the local health monitor): core/ and itself only.",
            severity: "error",
            from: { path: "^host/" },
            to: { path: OURS_OUTSIDE("core", "host") },
        },
        {
            name: "database-imports-core-and-sql-only",
            comment: "database/ runs SQL (providers, catalog): it builds on core/ and the SQL builders only.",
            severity: "error",
            from: { path: "^database/" },
            to: { path: OURS_OUTSIDE("core", "sql", "database") },
        },
        {
            name: "components-import-no-tools",
            comment: "components/ are the Pulumi layer: they build on the lower layers, never on operator tools or the program.",
            severity: "error",
            from: { path: "^components/" },
            to: { path: `${TOOLS}|^index\\.ts$|^policy/` },
        },
        {
            name: "tools-never-import-components",
            comment:
                "Operator tools run without a Pulumi program: they use the lower layers (core, sql, connectors, database, kafka, ops), never components/ or index.ts.",
            severity: "error",
            from: { path: TOOLS },
            to: { path: "^(components/|index\\.ts$)" },
        },
        {
            name: "policy-imports-core-only",
            comment: "The policy pack runs in its own process (pulumi preview --policy-pack policy): core/ at most.",
            severity: "error",
            from: { path: "^policy/" },
            to: { path: OURS_OUTSIDE("core", "policy") },
        },
        {
            name: "only-tests-import-tests",
            comment: "test/ helpers and fixtures are not part of the product.",
            severity: "error",
            from: { pathNot: "^test/" },
            to: { path: "^test/" },
        },
        {
            name: "no-cycles",
            comment: "A cycle makes the layers meaningless and the load order fragile.",
            severity: "error",
            from: {},
            to: { circular: true },
        },
    ],
    options: {
        doNotFollow: { path: "node_modules" },
        exclude: { path: "^(node_modules|\\.sandbox|\\.pulumi-state|\\.scratch|connect-plugins|toolchain|sandbox|docker|docs|dist)/" },
        tsConfig: { fileName: "tsconfig.json" },
        tsPreCompilationDeps: true,
        enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
    },
};
