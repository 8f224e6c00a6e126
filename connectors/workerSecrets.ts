// Effects: connector secrets as files in a folder the Connect worker serves through its `dir` config
// provider (org.apache.kafka.common.config.provider.DirectoryConfigProvider). Connect's config topic then
// holds only `${dir:<folder>:<key>}` references. This store writes to the local file system, so it serves
// workers on the machine running `pulumi` (the `local` stack); other environments mount the same layout
// from their secret store.
import fs = require("fs");
import path = require("path");
import { connectorSecretsFolder } from "./connectorModel";

/** Writes the connector's secrets (text) and files (base64, see ConnectorInputs.files); removes any other file. */
export function writeConnectorSecrets(
    secretsDir: string,
    connectorName: string,
    secrets: Record<string, string>,
    files: Record<string, string> = {},
): void {
    const folder = connectorSecretsFolder(secretsDir, connectorName);
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    const contents: [string, Buffer][] = [
        ...Object.entries(secrets).map(([key, value]): [string, Buffer] => [key, Buffer.from(value, "utf8")]),
        ...Object.entries(files).map(([key, value]): [string, Buffer] => [key, Buffer.from(value, "base64")]),
    ];
    for (const [key, value] of contents) {
        const file = path.join(folder, key);
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, value, { mode: 0o600 });
        fs.renameSync(temporary, file);
    }
    const kept = new Set(contents.map(([key]) => key));
    for (const existing of fs.readdirSync(folder)) {
        if (!kept.has(existing)) fs.rmSync(path.join(folder, existing), { force: true });
    }
}

export function removeConnectorSecrets(secretsDir: string, connectorName: string): void {
    fs.rmSync(connectorSecretsFolder(secretsDir, connectorName), { recursive: true, force: true });
}
