// Names of connectors on the cluster as commands take them: an unknown one is answered with the closest
// names; the stack's own connectors are marked (and protected from ad-hoc deploy/delete).
import { ConnectorStatus } from "../connectors/connectClient";
import { CliError, UsageError, unknownName } from "./errors";
import { Session } from "./session";

/** Every connector's status, by name. */
export async function statuses(session: Session): Promise<Record<string, ConnectorStatus>> {
    return session.connect().listStatuses();
}

/** The names asked for (or all with `--all`), each checked to exist. */
export async function existingNames(session: Session, names: string[], all = false): Promise<string[]> {
    if (all && names.length > 0) throw new UsageError("give connector names or --all, not both");
    if (!all && names.length === 0) throw new UsageError("give at least one connector name (or --all)");
    const known = Object.keys(await statuses(session)).sort();
    if (all) return known;
    for (const name of names) if (!known.includes(name)) throw unknownName("connector", name, known);
    return names;
}

/** Refuses ad-hoc changes to a connector the stack owns: its config lives in the stack. */
export function refuseOwned(session: Session, name: string, action: string): void {
    if (!session.pipelineConnectorNames().includes(name)) return;
    throw new CliError(
        `${name} belongs to stack ${session.stackName}: ${action} it by changing the stack's config and running \`pulumi up --stack ${session.stackName}\` instead`,
    );
}

/** Masks what looks secret in a connector config (a config provider reference `${…}` is no secret). */
export function maskSecrets(config: Record<string, string>): Record<string, string> {
    const secret = /(password|secret|token|credential|jaas\.config|api\.key|private\.key)/i;
    return Object.fromEntries(
        Object.entries(config).map(([key, value]) => [key, secret.test(key) && !/^\$\{.*\}$/.test(value) ? "********" : value]),
    );
}
