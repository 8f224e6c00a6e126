// The tandem Pulumi program: read and validate the stack's config, build the pipeline, export what
// dashboards and scripts read.
import * as pulumi from "@pulumi/pulumi";
import { loadSettings } from "./components/settings";
import { ReplicationPipeline } from "./components/replicationPipeline";

const { settings, secrets } = loadSettings();
if (settings.environment !== "local") {
    // The Docker (dev) and AWS + Kubernetes (prod) variants of Kafka, Connect and Prometheus are not built
    // yet; refuse rather than deploy half an environment.
    throw new pulumi.RunError(`tandem:environment ${settings.environment} is not available yet; only local (existing services) is`);
}

const pipeline = new ReplicationPipeline(settings.topicPrefix, {
    connectUrl: settings.connectUrl,
    kafkaBootstrapServers: settings.kafkaBootstrapServers,
    connectSecretsDir: settings.connectSecretsDir,
    prefix: settings.topicPrefix,
    mysql: { ...settings.mysql, password: secrets.mysqlPassword },
    postgres: { ...settings.postgres, password: secrets.postgresPassword },
    tables: settings.tables,
});

function describe(connector: typeof pipeline.source) {
    return { name: connector.name, state: connector.connectorState, tasks: connector.tasks, workerId: connector.workerId, topics: connector.topics };
}

export const environment = settings.environment;
export const kafkaBootstrapServers = settings.kafkaBootstrapServers;
export const connectUrl = settings.connectUrl;
export const connectors = { mysqlSource: describe(pipeline.source), postgresSink: describe(pipeline.sink) };
export const topics = { mysqlToPostgres: pipeline.topics };
export const tables = settings.tables;
