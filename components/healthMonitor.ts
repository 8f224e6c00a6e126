// The health monitor of a stack (monitor/; docs/monitoring.md), one class per environment: local runs it as
// a process on the machine running `pulumi`, dev as a container, prod as a Kubernetes Deployment. Each starts
// the same program with the same settings (core/monitorSettings.ts), the passwords kept as secrets.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { LocalProcess } from "../host/localProcess";
import { MONITOR_DEFAULTS, MONITOR_ENV, monitorEnvironment, MonitorSettings } from "../core/monitorSettings";
import { KafkaSecurity, MysqlFlavor } from "../core/vocabulary";

export type MonitorAccess = { mysql: { user: string; password: string }; postgres: { user: string; password: string } };

export interface HealthMonitorArgs {
    prefix: string;
    /** The databases, Kafka and Connect as the monitor reaches them. */
    mysql: { flavor: MysqlFlavor; host: string; port: number; database: string };
    postgres: { host: string; port: number; database: string; schema: string };
    kafkaBootstrapServers: pulumi.Input<string>;
    kafkaSecurity: KafkaSecurity;
    connectUrl: pulumi.Input<string>;
    connectAuth?: pulumi.Input<{ username: pulumi.Input<string>; password: pulumi.Input<string> }>;
    /** The monitor's database accounts (BidirectionalSync.monitorAccess). */
    access: pulumi.Input<MonitorAccess>;
    port: number;
    delayObjectiveSeconds: number;
    watchdog: boolean;
    /** Resources it needs running first (the sync's connectors: its canary and accounts). */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Pure: the monitor's settings for these args (what TANDEM_MONITOR_SETTINGS carries). */
export function healthMonitorSettings(
    args: Omit<HealthMonitorArgs, "access" | "kafkaBootstrapServers" | "connectUrl" | "connectAuth" | "dependsOn">,
    resolved: { listenHost: string; kafkaBootstrapServers: string; connectUrl: string; connectUser?: string; access: MonitorAccess },
): MonitorSettings {
    return {
        prefix: args.prefix,
        listen: { host: resolved.listenHost, port: args.port },
        mysql: { ...args.mysql, user: resolved.access.mysql.user },
        postgres: { ...args.postgres, user: resolved.access.postgres.user },
        kafka: { bootstrapServers: resolved.kafkaBootstrapServers, security: args.kafkaSecurity },
        connect: { url: resolved.connectUrl, ...(resolved.connectUser ? { username: resolved.connectUser } : {}) },
        intervalSeconds: MONITOR_DEFAULTS.intervalSeconds,
        delayObjectiveSeconds: args.delayObjectiveSeconds,
        probeTimeoutSeconds: MONITOR_DEFAULTS.probeTimeoutSeconds,
        watchdog: { ...MONITOR_DEFAULTS.watchdog, enabled: args.watchdog },
    };
}

/** The monitor's environment: the settings, and the passwords (secret). */
export function healthMonitorEnv(args: HealthMonitorArgs, listenHost: string): pulumi.Output<Record<string, string>> {
    return pulumi
        .all([args.access, args.kafkaBootstrapServers, args.connectUrl, pulumi.output(args.connectAuth)])
        .apply(([access, kafkaBootstrapServers, connectUrl, auth]): Record<string, string> => {
            const settings = healthMonitorSettings(args, {
                listenHost,
                kafkaBootstrapServers,
                connectUrl,
                connectUser: auth?.username,
                access,
            });
            return {
                ...monitorEnvironment(settings),
                [MONITOR_ENV.mysqlPassword]: access.mysql.password,
                [MONITOR_ENV.postgresPassword]: access.postgres.password,
                ...(auth ? { [MONITOR_ENV.connectPassword]: auth.password } : {}),
            };
        });
}

/** A hash of the monitor's code as checked out: a new version restarts the local process on `up`. */
function sourceRevision(projectDir: string): string {
    const hash = crypto.createHash("sha256");
    const visit = (dir: string) => {
        for (const entry of fs.readdirSync(path.join(projectDir, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
            const relative = path.join(dir, entry.name);
            if (entry.isDirectory()) visit(relative);
            else if (entry.name.endsWith(".ts")) hash.update(relative).update(fs.readFileSync(path.join(projectDir, relative)));
        }
    };
    for (const dir of ["monitor", "core", "sql", "connectors"]) visit(dir);
    hash.update(fs.readFileSync(path.join(projectDir, "package-lock.json")));
    return hash.digest("hex").slice(0, 16);
}

/** local: a process on 127.0.0.1 beside the sandbox, its pid and log in the sandbox's state folder. */
export class LocalHealthMonitor extends pulumi.ComponentResource {
    readonly url: pulumi.Output<string>;
    readonly logFile: pulumi.Output<string>;

    constructor(name: string, args: HealthMonitorArgs & { projectDir: string; stateDir: string }, opts?: pulumi.ComponentResourceOptions) {
        super("tandem:index:LocalHealthMonitor", name, {}, opts);
        const url = `http://127.0.0.1:${args.port}`;
        const process = new LocalProcess(
            `${name}-process`,
            {
                command: [path.join(args.projectDir, "bin", "tandem"), "monitor"],
                // bin/tandem execs node on cli/tandem.ts
                match: [path.join(args.projectDir, "cli", "tandem.ts"), "monitor"],
                cwd: args.projectDir,
                env: healthMonitorEnv(args, "127.0.0.1"),
                name: `${args.prefix} health monitor`,
                pidFile: path.join(args.stateDir, "run", `${args.prefix}-health-monitor.pid`),
                logFile: path.join(args.stateDir, "logs", `${args.prefix}-health-monitor.log`),
                readyUrl: `${url}/health`,
                revision: sourceRevision(args.projectDir),
            },
            { parent: this, dependsOn: args.dependsOn },
        );
        this.url = pulumi.output(url);
        this.logFile = process.logFile;
        this.registerOutputs({ url: this.url, logFile: this.logFile });
    }
}
