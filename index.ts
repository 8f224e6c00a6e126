// The tandem Pulumi program: read and validate the stack's config, check both databases (preflight), build
// the environment (local: existing services; dev: Docker; prod: AWS + Kubernetes) and the bidirectional
// sync on it, export what dashboards and scripts read.
import { BidirectionalSync } from "./components/bidirectionalSync";
import { environmentFor } from "./components/environment";
import { loadSettings } from "./components/stackConfig";
import { planSync } from "./components/syncPlan";
import { Connector } from "./connectors/connector";
import { syncNames } from "./core/model";
import { healthMonitorFor } from "./components/healthMonitor";
import { PipelineIdentity } from "./components/pipelineIdentity";

export = async () => {
    const { settings, secrets } = loadSettings();
    // Named the same whatever the prefix: a later preview compares the deployed identity with the config.
    new PipelineIdentity("pipeline-identity", {
        prefix: settings.topicPrefix,
        mysqlDatabase: settings.mysql.database,
        postgresDatabase: settings.postgres.database,
        postgresSchema: settings.postgres.schema,
    });
    const plan = await planSync(settings, {
        mysql: secrets.mysqlPassword,
        postgres: secrets.postgresPassword,
        kafka: secrets.kafkaPassword,
    });
    const tables = plan.tables.mysql.map((table) => table.name);
    // The health monitor's canary table is synced (and has a topic) like the application's tables.
    const environment = environmentFor(settings, secrets, [...tables, syncNames(settings.topicPrefix).canaryTable]);

    const sync = new BidirectionalSync(settings.topicPrefix, {
        prefix: settings.topicPrefix,
        connectUrl: environment.connectUrl,
        connectAuth: environment.connectAuth,
        kafkaBootstrapServers: environment.bootstrapServers,
        kafkaSecurity: environment.kafkaSecurity,
        kafkaClient: environment.kafkaClient,
        secretStore: environment.secretStore,
        topicCreation: environment.topicCreation,
        mysql: { ...settings.mysql, admin: { ...settings.mysql.admin, user: settings.mysql.user, password: secrets.mysqlPassword } },
        postgres: {
            ...settings.postgres,
            admin: { ...settings.postgres.admin, user: settings.postgres.user, password: secrets.postgresPassword },
        },
        tables: plan.tables,
        policy: { conflicts: settings.conflictPolicy, tieWinner: settings.tieWinner },
        teardownOnDestroy: settings.teardownOnDestroy,
        initialLoad: settings.initialLoad,
        binlogRetention: { hours: settings.binlogRetentionHours, hosting: settings.environment === "prod" ? "rds" : "self-managed" },
        maxRowBytes: settings.maxRowBytes,
        connectorSettleSeconds: settings.connectorSettleSeconds,
        resumeChecks: plan.resumeChecks,
        connectorsWaitFor: environment.dependencies,
    });

    // local: a process on this machine; dev: a container beside Prometheus; prod: a Deployment in the namespace.
    const monitor = healthMonitorFor(settings, environment, sync);

    const describe = (connector: Connector) => ({
        name: connector.name,
        state: connector.connectorState,
        tasks: connector.tasks,
        workerId: connector.workerId,
        topics: connector.topics,
    });
    return {
        environment: settings.environment,
        kafkaBootstrapServers: environment.bootstrapServers,
        connectUrl: environment.connectUrl,
        tables,
        conflictPolicy: settings.conflictPolicy,
        connectors: Object.fromEntries(Object.entries(sync.connectors).map(([key, connector]) => [key, describe(connector)])),
        topics: { ...sync.topics, managed: environment.topics },
        dashboards: { ...environment.urls, ...(monitor ? { healthMonitor: monitor.url } : {}) },
        // Secret: read by `tandem load`, which writes its bulk copies as the sink does.
        postgresSyncWriter: sync.postgresSyncWriter,
        // Secret: read by `tandem health-monitor --stack`, which runs the health monitor in the foreground.
        healthMonitorAccess: sync.monitorAccess,
    };
};
