// RDS parameter groups that make the databases CDC sources: MySQL binlog in ROW format with full images,
// PostgreSQL logical replication. Aurora engines take cluster parameter groups. Binlog retention on RDS
// MySQL is not a parameter (CALL mysql.rds_set_configuration('binlog retention hours', N)): the sync's
// database preparation runs it (docs/environments.md).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Side } from "../core/vocabulary";

export interface ParameterSpec {
    name: string;
    value: string;
    applyMethod: "immediate" | "pending-reboot";
}

/** Pure: the parameters each engine family needs. */
export function cdcParameters(engine: Side): ParameterSpec[] {
    if (engine === "mysql") {
        return [
            { name: "binlog_format", value: "ROW", applyMethod: "immediate" },
            { name: "binlog_row_image", value: "full", applyMethod: "immediate" },
            { name: "binlog_checksum", value: "NONE", applyMethod: "immediate" },
        ];
    }
    // Static on RDS: takes effect after a reboot.
    return [
        { name: "rds.logical_replication", value: "1", applyMethod: "pending-reboot" },
        { name: "max_replication_slots", value: "10", applyMethod: "pending-reboot" },
        { name: "max_wal_senders", value: "10", applyMethod: "pending-reboot" },
    ];
}

export interface CdcParameterGroupsArgs {
    /** e.g. mysql8.0 / aurora-mysql8.0 */
    mysqlFamily: string;
    /** e.g. postgres15 / aurora-postgresql15 */
    postgresFamily: string;
}

export class CdcParameterGroups extends pulumi.ComponentResource {
    readonly mysqlName: pulumi.Output<string>;
    readonly postgresName: pulumi.Output<string>;

    constructor(name: string, args: CdcParameterGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:index:CdcParameterGroups", name, {}, opts);
        const group = (suffix: string, family: string, engine: Side) => {
            const parameters = cdcParameters(engine);
            const groupArgs = { family, description: `tandem CDC (${engine})`, parameters };
            return family.startsWith("aurora")
                ? new aws.rds.ClusterParameterGroup(`${name}-${suffix}`, groupArgs, { parent: this })
                : new aws.rds.ParameterGroup(`${name}-${suffix}`, groupArgs, { parent: this });
        };
        this.mysqlName = group("mysql", args.mysqlFamily, "mysql").name;
        this.postgresName = group("postgres", args.postgresFamily, "postgres").name;
        this.registerOutputs({ mysqlName: this.mysqlName, postgresName: this.postgresName });
    }
}
