// The prod policy pack: `pulumi preview --policy-pack policy` (with Pulumi's own Node.js language host;
// the minimal host built here does not run policy packs). The rules live in rules.ts.
import { PolicyPack, ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { parameterGroupsPresent, PolicyResource, RESOURCE_RULES } from "./rules";

const asResource = (args: { type: string; name: string; props: Record<string, unknown> }): PolicyResource => ({
    type: args.type,
    name: args.name,
    props: args.props,
});

new PolicyPack("tandem-prod", {
    policies: [
        ...Object.entries(RESOURCE_RULES).map(([name, rule]) => ({
            name,
            description: `tandem prod rule ${name}`,
            enforcementLevel: "mandatory" as const,
            validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
                for (const message of rule(asResource(args))) report(message);
            },
        })),
        {
            name: "cdc-parameter-groups",
            description: "RDS parameter groups for MySQL binlog and PostgreSQL logical replication are managed in the stack",
            enforcementLevel: "mandatory" as const,
            validateStack: (args: StackValidationArgs, report: ReportViolation) => {
                for (const message of parameterGroupsPresent(args.resources.map(asResource))) report(message);
            },
        },
    ],
});
