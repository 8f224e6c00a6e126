// Database TLS as each Node driver takes it (mysql2, pg), from the one setting every client shares
// (`tandem:mysqlTls`/`tandem:postgresTls` with their CA). Pure: no I/O, the CA is PEM text.
import * as tls from "tls";
import { DatabaseTlsMode } from "./vocabulary";

export interface DatabaseTls {
    mode: DatabaseTlsMode;
    /** PEM certificate(s) of the CA that signs the server's certificate (required by the verify modes). */
    ca?: string;
}

/** mysql2's `ssl` option: verify-full checks the host name too (mysql2's verifyIdentity). */
export function mysqlClientSsl(setting: DatabaseTls | undefined): {
    ssl?: { ca?: string; rejectUnauthorized: boolean; verifyIdentity: boolean };
} {
    if (!setting || setting.mode === "disable") return {};
    const verify = setting.mode !== "require";
    return {
        ssl: { ...(setting.ca ? { ca: setting.ca } : {}), rejectUnauthorized: verify, verifyIdentity: setting.mode === "verify-full" },
    };
}

/** pg's `ssl` option: verify-ca skips only the host name check, as libpq's sslmode=verify-ca. */
export function postgresClientSsl(setting: DatabaseTls | undefined): { ssl?: tls.ConnectionOptions } {
    if (!setting || setting.mode === "disable") return {};
    if (setting.mode === "require") return { ssl: { rejectUnauthorized: false } };
    return {
        ssl: {
            ...(setting.ca ? { ca: setting.ca } : {}),
            rejectUnauthorized: true,
            ...(setting.mode === "verify-ca" ? { checkServerIdentity: () => undefined } : {}),
        },
    };
}

/** A connection's driver options for mysql2: its fields, with `tls` turned into mysql2's `ssl`. */
export function mysqlDriverOptions<T extends { tls?: DatabaseTls }>(connection: T): Omit<T, "tls"> & ReturnType<typeof mysqlClientSsl> {
    const { tls: setting, ...rest } = connection;
    return { ...rest, ...mysqlClientSsl(setting) };
}

/** A connection's driver options for pg: its fields, with `tls` turned into pg's `ssl`. */
export function postgresDriverOptions<T extends { tls?: DatabaseTls }>(
    connection: T,
): Omit<T, "tls"> & ReturnType<typeof postgresClientSsl> {
    const { tls: setting, ...rest } = connection;
    return { ...rest, ...postgresClientSsl(setting) };
}
