// `tandem health-monitor`: runs the health monitor service in the foreground. With `--stack` it takes everything from the
// stack (addresses as this machine reaches them, the monitor's accounts from the secret output
// `healthMonitorAccess`); without, from TANDEM_MONITOR_SETTINGS and the password variables, as every
// deployment of the stack starts it (local process, container, Kubernetes).
import { Command } from "commander";
import { HEALTH_MONITOR_PORT, MONITOR_DEFAULTS, MonitorSecrets, MonitorSettings, parseMonitorSettings } from "../../core/monitorSettings";
import { InvalidOptions } from "../../loadtest/options";
import { HealthMonitor } from "../../monitor/service";
import { readStackTarget } from "../../ops/stackTarget";

function fromStack(stack: string, port: number, host: string): { settings: MonitorSettings; secrets: MonitorSecrets } {
    const target = readStackTarget(stack, { withMonitorAccess: true });
    const access = target.monitorAccess!;
    return {
        settings: {
            prefix: target.prefix,
            listen: { host, port },
            mysql: { ...target.mysql, user: access.mysql.user },
            postgres: { ...target.postgres, user: access.postgres.user },
            kafka: {
                bootstrapServers: target.kafkaBootstrapServers,
                security: target.kafkaAccess.security,
                ...(target.kafkaAccess.username ? { username: target.kafkaAccess.username } : {}),
                ...(target.kafkaAccess.ca ? { ca: target.kafkaAccess.ca } : {}),
            },
            connect: { url: target.connectUrl },
            intervalSeconds: MONITOR_DEFAULTS.intervalSeconds,
            delayObjectiveSeconds: MONITOR_DEFAULTS.delayObjectiveSeconds,
            probeTimeoutSeconds: MONITOR_DEFAULTS.probeTimeoutSeconds,
            watchdog: { ...MONITOR_DEFAULTS.watchdog },
        },
        secrets: {
            mysqlPassword: access.mysql.password,
            postgresPassword: access.postgres.password,
            ...(target.kafkaAccess.password ? { kafkaPassword: target.kafkaAccess.password } : {}),
        },
    };
}

export function healthMonitorCommand(): Command {
    return new Command("health-monitor")
        .description(
            "Run the health monitor service in the foreground (GET /metrics, /health, /): settings from --stack, else TANDEM_MONITOR_SETTINGS.",
        )
        .option("--port <n>", `port to listen on (with --stack; default ${HEALTH_MONITOR_PORT})`)
        .option("--host <address>", "address to listen on (with --stack)", "127.0.0.1")
        .option("--no-watchdog", "only report failed connectors and tasks, never restart them")
        .addHelpText(
            "after",
            "\nExamples:\n  $ tandem health-monitor --stack local --port 9084\n  $ TANDEM_MONITOR_SETTINGS=… tandem health-monitor   # as the stack starts it\n",
        )
        .action(async (own: { port?: string; host: string; watchdog: boolean }, command: Command) => {
            // Only an explicit --stack: without it the settings come from the environment, as deployments start it.
            const flags = { ...own, stack: command.optsWithGlobals<{ stack?: string }>().stack };
            const port = flags.port === undefined ? HEALTH_MONITOR_PORT : Number(flags.port);
            if (!Number.isInteger(port) || port < 0 || port > 65535)
                throw new InvalidOptions(`--port must be a port number, got ${flags.port}`);
            if (!flags.stack && flags.port !== undefined)
                throw new InvalidOptions("--port goes with --stack (else the settings say where to listen)");
            const { settings, secrets } = flags.stack ? fromStack(flags.stack, port, flags.host) : parseMonitorSettings(process.env);
            if (!flags.watchdog) settings.watchdog.enabled = false;
            const monitor = new HealthMonitor(settings, secrets);
            await monitor.start();
            await new Promise<void>((resolve) => {
                const stop = () => {
                    process.stderr.write("stopping the health monitor\n");
                    void monitor.stop().then(resolve);
                };
                process.once("SIGTERM", stop);
                process.once("SIGINT", stop);
            });
        });
}
