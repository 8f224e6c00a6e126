// The tandem Pulumi program: read and validate the stack's config, check both databases (preflight), build
// the bidirectional sync, export what dashboards and scripts read.
import * as pulumi from "@pulumi/pulumi";
import { BidirectionalSync } from "./components/bidirectionalSync";
import { loadSettings } from "./components/settings";
import { planSync } from "./components/syncPlan";
import { Connector } from "./connectors/connector";

export = async () => {
    const { settings, secrets } = loadSettings();
    if (settings.environment !== "local") {
        // The Docker (dev) and AWS + Kubernetes (prod) variants of Kafka, Connect and Prometheus are not
        // built yet; refuse rather than deploy half an environment.
        throw new pulumi.RunError(`tandem:environment ${settings.environment} is not available yet; only local (existing services) is`);
    }
    const plan = await planSync(settings, { mysql: secrets.mysqlPassword, postgres: secrets.postgresPassword });

    const sync = new BidirectionalSync(settings.topicPrefix, {
        prefix: settings.topicPrefix,
        connectUrl: settings.connectUrl,
        kafkaBootstrapServers: settings.kafkaBootstrapServers,
        connectSecretsDir: settings.connectSecretsDir,
        mysql: { ...settings.mysql, admin: { user: settings.mysql.user, password: secrets.mysqlPassword } },
        postgres: { ...settings.postgres, admin: { user: settings.postgres.user, password: secrets.postgresPassword } },
        tables: plan.tables,
        policy: { conflicts: settings.conflictPolicy, tieWinner: settings.tieWinner },
        teardownOnDestroy: settings.teardownOnDestroy,
        initialLoad: settings.initialLoad,
    });

    const describe = (connector: Connector) => ({
        name: connector.name,
        state: connector.connectorState,
        tasks: connector.tasks,
        workerId: connector.workerId,
        topics: connector.topics,
    });
    return {
        environment: settings.environment,
        kafkaBootstrapServers: settings.kafkaBootstrapServers,
        connectUrl: settings.connectUrl,
        tables: plan.tables.mysql.map((table) => table.name),
        conflictPolicy: settings.conflictPolicy,
        connectors: Object.fromEntries(Object.entries(sync.connectors).map(([key, connector]) => [key, describe(connector)])),
        topics: sync.topics,
    };
};
