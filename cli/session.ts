// What every command works on, found from the stack so that nobody types URLs: `--stack NAME` (or
// TANDEM_STACK, else `local`) is read with the Pulumi CLI once, lazily, and only when a command needs it;
// `--connect-url`, `--bootstrap-server`, `--monitor-url` (or their TANDEM_* variables) override it, and
// with them some commands run without any stack. Connect's basic auth comes from `--connect-user` and
// TANDEM_CONNECT_PASSWORD (never a flag: it would land in the shell's history).
import { Command } from "commander";
import { Kafka, logLevel } from "kafkajs";
import { KafkaAccess, kafkajsAccess } from "../core/kafkaAccess";
import { ConnectClient } from "../connectors/connectClient";
import { readStackTarget, StackTarget } from "../ops/stackTarget";
import { CliError, describeError } from "./errors";
import { Format } from "./output";

export interface GlobalFlags {
    stack?: string;
    connectUrl?: string;
    connectUser?: string;
    bootstrapServer?: string;
    monitorUrl?: string;
    output: Format;
}

export class Session {
    private stackTarget?: StackTarget;
    private stackTargetWithSecrets?: StackTarget;
    private client?: ConnectClient;

    constructor(
        readonly flags: GlobalFlags,
        private readonly env: NodeJS.ProcessEnv = process.env,
    ) {}

    /** The session of a command's action: the program's (global) flags merged with the command's own. */
    static of(command: Command): Session {
        return new Session(command.optsWithGlobals<GlobalFlags>());
    }

    get format(): Format {
        return this.flags.output;
    }

    get stackName(): string {
        return this.flags.stack ?? this.env.TANDEM_STACK ?? "local";
    }

    /** Whether a service address was given, so that a command may do without the stack. */
    private given(flag: keyof GlobalFlags, variable: string): string | undefined {
        return (this.flags[flag] as string | undefined) ?? this.env[variable];
    }

    /** The stack as tools see it (with the monitor's and the sink's secret accounts when asked). */
    target(options: { withMonitorAccess?: boolean } = {}): StackTarget {
        const cached = options.withMonitorAccess ? this.stackTargetWithSecrets : (this.stackTarget ?? this.stackTargetWithSecrets);
        if (cached) return cached;
        try {
            const target = readStackTarget(this.stackName, options);
            if (options.withMonitorAccess) this.stackTargetWithSecrets = target;
            else this.stackTarget = target;
            return target;
        } catch (error) {
            const reason = (error as Error).message.replace(/\s+/g, " ").trim();
            throw new CliError(
                `cannot read stack ${this.stackName}: ${reason} — give --stack NAME (or TANDEM_STACK), run \`. toolchain/env.sh\` first, and \`pulumi up --stack ${this.stackName}\` once`,
            );
        }
    }

    /** The stack if it can be read, else undefined (for commands that also work from a URL alone). */
    optionalTarget(): StackTarget | undefined {
        try {
            return this.target();
        } catch {
            return undefined;
        }
    }

    get connectUrl(): string {
        const url = this.given("connectUrl", "TANDEM_CONNECT_URL") ?? this.target().connectUrl;
        if (!url) throw new CliError(`stack ${this.stackName} has no connectUrl output: give --connect-url`);
        return url;
    }

    get bootstrapServers(): string {
        return this.given("bootstrapServer", "TANDEM_BOOTSTRAP_SERVER") ?? this.target().kafkaBootstrapServers;
    }

    get monitorUrl(): string | undefined {
        return this.given("monitorUrl", "TANDEM_MONITOR_URL") ?? this.optionalTarget()?.monitorUrl;
    }

    /** Connect's REST API: short timeouts and one retry (an operator waits at a prompt, not a deployment). */
    connect(): ConnectClient {
        if (!this.client) {
            const user = this.given("connectUser", "TANDEM_CONNECT_USER");
            this.client = new ConnectClient(this.connectUrl, {
                retries: 1,
                requestTimeoutMs: 20_000,
                auth: user ? { username: user, password: this.env.TANDEM_CONNECT_PASSWORD ?? "" } : undefined,
            });
        }
        return this.client;
    }

    /** The stack's Kafka access (its admin on a secured cluster); plaintext when the broker is given by flag. */
    get kafkaAccess(): KafkaAccess | undefined {
        if (this.given("bootstrapServer", "TANDEM_BOOTSTRAP_SERVER")) return undefined;
        return this.target().kafkaAccess;
    }

    kafka(clientId = "tandem-cli"): Kafka {
        return new Kafka({
            ...kafkajsAccess(this.kafkaAccess),
            clientId,
            brokers: this.bootstrapServers.split(",").map((broker) => broker.trim()),
            connectionTimeout: 5_000,
            requestTimeout: 15_000,
            retry: { retries: 1 },
            logLevel: logLevel.NOTHING,
        });
    }

    /** The pipeline's connector names (empty without a readable stack). */
    pipelineConnectorNames(): string[] {
        return Object.values(this.optionalTarget()?.connectors ?? {});
    }

    /** Turns any error into the one line a user reads. */
    explain(error: unknown): CliError {
        let connectUrl: string | undefined;
        let bootstrapServers: string | undefined;
        try {
            connectUrl = this.given("connectUrl", "TANDEM_CONNECT_URL") ?? this.stackTarget?.connectUrl;
            bootstrapServers = this.given("bootstrapServer", "TANDEM_BOOTSTRAP_SERVER") ?? this.stackTarget?.kafkaBootstrapServers;
        } catch {
            // the hint goes without the address
        }
        return describeError(error, { connectUrl, bootstrapServers });
    }
}
