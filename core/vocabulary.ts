// The closed sets every layer shares, each spelled once as an `as const` array with its union type, so that
// config validation, connector builders, SQL builders and operator tools agree on the same values.

/** The two databases the sync joins: the legacy MySQL/MariaDB side and the new PostgreSQL side. */
export const SIDES = ["mysql", "postgres"] as const;
export type Side = (typeof SIDES)[number];

export function otherSide(side: Side): Side {
    return side === "mysql" ? "postgres" : "mysql";
}

/** The two directions changes travel, named by where they come from. */
export const DIRECTIONS = ["mysql-to-postgres", "postgres-to-mysql"] as const;
export type Direction = (typeof DIRECTIONS)[number];

export function directionOf(source: Side): Direction {
    return source === "mysql" ? "mysql-to-postgres" : "postgres-to-mysql";
}

/** The engine on the legacy side: Debezium has one connector per flavor. */
export const MYSQL_FLAVORS = ["mariadb", "mysql"] as const;
export type MysqlFlavor = (typeof MYSQL_FLAVORS)[number];

/** Which version wins when both sides changed the same row concurrently (docs/bidirectional.md). */
export const CONFLICT_POLICIES = ["last-writer-wins", "mysql-wins", "postgres-wins"] as const;
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];

/**
 * How the rows that exist before the sync starts reach the other side: Debezium's snapshot, its incremental
 * snapshot, tandem's bulk copy (`tandem load`: COPY and a version-aware merge), or none (copied already).
 */
export const INITIAL_LOADS = ["snapshot", "incremental", "bulk", "none"] as const;
export type InitialLoad = (typeof INITIAL_LOADS)[number];

/** Where a stack runs: existing services (the sandbox), Docker, or AWS + Kubernetes. */
export const ENVIRONMENTS = ["local", "dev", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * How Kafka clients authenticate: plaintext (local, dev), IAM over TLS (MSK, prod), or SCRAM-SHA-512 over TLS with
 * ACLs (an existing secured cluster, local).
 */
export const KAFKA_SECURITIES = ["plaintext", "msk-iam", "sasl-scram"] as const;
export type KafkaSecurity = (typeof KAFKA_SECURITIES)[number];

/**
 * How the pipeline's database connections use TLS, one vocabulary for every client (Debezium, the JDBC sinks,
 * `pulumi`'s own SQL, the monitor and the tools): `disable` (the drivers' defaults, no TLS asked for),
 * `require` (encrypted, certificate not checked), `verify-ca` (signed by the configured CA), `verify-full`
 * (and the host name matches the certificate: PostgreSQL's verify-full, MySQL's VERIFY_IDENTITY).
 */
export const DATABASE_TLS_MODES = ["disable", "require", "verify-ca", "verify-full"] as const;
export type DatabaseTlsMode = (typeof DATABASE_TLS_MODES)[number];
