// Pure: the conflict rule both databases' triggers apply, written once so that MySQL and PostgreSQL always
// pick the same winner (docs/bidirectional.md, "Conflicts").
import { BOOKKEEPING, Policy } from "../core/model";

const { origin: O, version: V } = BOOKKEEPING;

/**
 * SQL truth of "the incoming version wins over the current one": the side the policy names, or under
 * last-writer-wins the newer version, equal versions going to `tieWinner`. `quote` is the engine's
 * identifier quoting; side names need no escaping in a literal.
 */
export function incomingWinsCondition(policy: Policy, incoming: string, current: string, quote: (identifier: string) => string): string {
    const origin = (row: string) => `${row}.${quote(O)}`;
    const version = (row: string) => `${row}.${quote(V)}`;
    switch (policy.conflicts) {
        case "mysql-wins":
            return `${origin(incoming)} = 'mysql'`;
        case "postgres-wins":
            return `${origin(incoming)} = 'postgres'`;
        case "last-writer-wins":
            return `(${version(incoming)} > ${version(current)} OR (${version(incoming)} = ${version(current)} AND ${origin(incoming)} = '${policy.tieWinner}'))`;
    }
}
