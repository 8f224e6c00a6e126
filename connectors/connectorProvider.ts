// The dynamic provider behind the Connector resource: Pulumi's lifecycle mapped onto the Connect REST API.
// Pulumi serializes this object into the program's state, so it stays stateless and only references
// modules (clients are created per call).
import * as pulumi from "@pulumi/pulumi";
import { ConnectClient, ConnectorStatus, waitForRunning } from "./connectClient";
import {
    checkConnectorInputs,
    ConnectorInputs,
    ConnectorOutputs,
    DEFAULT_TIMEOUT_SECONDS,
    diffConnector,
    inputsOf,
    normalizeConfig,
    renderConfig,
} from "./connectorModel";
import { removeConnectorSecrets, writeConnectorSecrets } from "./workerSecrets";

async function apply(inputs: ConnectorInputs): Promise<ConnectorOutputs> {
    const client = new ConnectClient(inputs.connectUrl);
    if (inputs.secrets && Object.keys(inputs.secrets).length > 0 && inputs.secretsDir) {
        writeConnectorSecrets(inputs.secretsDir, inputs.name, inputs.secrets);
    }
    await client.putConfig(inputs.name, renderConfig(inputs));
    const status = await waitForRunning(client, inputs.name, {
        timeoutMs: (inputs.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    });
    return withStatus(inputs, status);
}

function withStatus(inputs: ConnectorInputs, status: ConnectorStatus): ConnectorOutputs {
    return {
        ...inputs,
        state: status.connector.state,
        workerId: status.connector.worker_id,
        connectorType: status.type,
        tasks: status.tasks.map((task) => ({ id: task.id, state: task.state, workerId: task.worker_id })),
    };
}

export const connectorProvider: pulumi.dynamic.ResourceProvider<ConnectorInputs, ConnectorOutputs> = {
    async check(_olds, news) {
        const failures = checkConnectorInputs(news);
        return { inputs: news, failures };
    },

    async diff(_id, olds, news) {
        const diff = diffConnector(olds, news);
        return {
            changes: diff.changes,
            replaces: diff.replaces,
            // A connector keeps its name across a class change, so the old one must go first.
            deleteBeforeReplace: olds.name === news.name,
        };
    },

    async create(inputs) {
        const outs = await apply(inputs);
        return { id: inputs.name, outs };
    },

    async update(_id, _olds, news) {
        return { outs: await apply(news) };
    },

    async read(id, props) {
        if (!props) throw new Error(`connector ${id} cannot be read without its recorded properties`);
        const client = new ConnectClient(props.connectUrl);
        const liveConfig = await client.getConfig(id);
        if (!liveConfig) return {}; // deleted out of band: Pulumi drops it from state
        const secretKeys = new Set(Object.keys(props.secrets ?? {}));
        const declared = Object.fromEntries(Object.entries(normalizeConfig(liveConfig)).filter(([key]) => !secretKeys.has(key)));
        const status = await client.getStatus(id);
        const inputs: ConnectorInputs = { ...inputsOf(props), config: declared };
        const outs = status ? withStatus(inputs, status) : { ...props, config: declared, state: "UNKNOWN" };
        // ReadResult types `inputs` like the outputs; the engine only needs the input fields.
        return { id, props: outs, inputs: inputs as ConnectorOutputs };
    },

    async delete(id, props) {
        await new ConnectClient(props.connectUrl).deleteConnector(id);
        if (props.secretsDir) removeConnectorSecrets(props.secretsDir, props.name);
    },
};
