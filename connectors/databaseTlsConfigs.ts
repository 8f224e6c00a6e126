// Pure builders: database TLS in each connector's own terms (Debezium MariaDB/MySQL/PostgreSQL sources, the JDBC
// sinks' driver URLs), from the one setting every client shares (core/databaseTls.ts). Certificates reach the
// worker as files beside the connector's secrets (ConnectorInputs.files): a PEM CA for PostgreSQL's and MariaDB
// Connector/J's drivers, and a JKS trust store for the binlog reader and MySQL Connector/J, which take nothing else.
import { createHash, X509Certificate } from "crypto";
import { DatabaseTls } from "../core/databaseTls";
import { MysqlFlavor } from "../core/vocabulary";

export const CA_FILE = "database-ca.pem";
export const TRUSTSTORE_FILE = "database-truststore.jks";
/** A JKS password only guards the file's integrity; the store holds public certificates only. */
export const TRUSTSTORE_PASSWORD = "tandem-truststore";

/** The PEM blocks of a CA bundle, as DER. */
export function pemCertificates(pem: string): Buffer[] {
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    return blocks.map((block) => new X509Certificate(block).raw);
}

/**
 * A JKS trust store of the certificates (Java's `keytool -importcert` format: trusted-certificate entries and
 * the keyed SHA-1 digest). Deterministic (entries dated at the epoch), so an unchanged CA is an unchanged file.
 */
export function jksTrustStore(pem: string, password: string = TRUSTSTORE_PASSWORD): Buffer {
    const certificates = pemCertificates(pem);
    const parts: Buffer[] = [];
    const u32 = (value: number) => {
        const buffer = Buffer.alloc(4);
        buffer.writeUInt32BE(value);
        return buffer;
    };
    const utf = (text: string) => {
        const bytes = Buffer.from(text, "utf8");
        const length = Buffer.alloc(2);
        length.writeUInt16BE(bytes.length);
        return Buffer.concat([length, bytes]);
    };
    parts.push(u32(0xfeedfeed), u32(2), u32(certificates.length));
    certificates.forEach((der, index) => {
        parts.push(u32(2), utf(`ca-${index}`), Buffer.alloc(8), utf("X.509"), u32(der.length), der);
    });
    const body = Buffer.concat(parts);
    const digest = createHash("sha1")
        .update(Buffer.from(password, "utf16le").swap16())
        .update(Buffer.from("Mighty Aphrodite", "utf8"))
        .update(body)
        .digest();
    return Buffer.concat([body, digest]);
}

/** The files a connector needs on the worker for this setting (base64 by name, see ConnectorInputs.files). */
export function tlsFiles(tls: DatabaseTls | undefined, needs: "pem" | "truststore" | "both"): Record<string, string> {
    if (!tls?.ca || tls.mode === "disable") return {};
    return {
        ...(needs !== "truststore" ? { [CA_FILE]: Buffer.from(tls.ca, "utf8").toString("base64") } : {}),
        ...(needs !== "pem" ? { [TRUSTSTORE_FILE]: jksTrustStore(tls.ca).toString("base64") } : {}),
    };
}

const MARIADB_SOURCE_MODE = { require: "trust", "verify-ca": "verify-ca", "verify-full": "verify-full" } as const;
const MYSQL_SOURCE_MODE = { require: "required", "verify-ca": "verify_ca", "verify-full": "verify_identity" } as const;

/** Debezium MariaDB/MySQL source: its JDBC connection and its binlog reader both take these. */
export function mysqlSourceTls(flavor: MysqlFlavor, tls: DatabaseTls | undefined, folder: string): Record<string, string> {
    if (!tls || tls.mode === "disable") return {};
    const mode = flavor === "mariadb" ? MARIADB_SOURCE_MODE[tls.mode] : MYSQL_SOURCE_MODE[tls.mode];
    return {
        "database.ssl.mode": mode,
        ...(tls.ca
            ? { "database.ssl.truststore": `${folder}/${TRUSTSTORE_FILE}`, "database.ssl.truststore.password": TRUSTSTORE_PASSWORD }
            : {}),
    };
}

/** Debezium PostgreSQL source: libpq's modes, passed to its JDBC driver. */
export function postgresSourceTls(tls: DatabaseTls | undefined, folder: string): Record<string, string> {
    if (!tls || tls.mode === "disable") return {};
    return { "database.sslmode": tls.mode, ...(tls.ca ? { "database.sslrootcert": `${folder}/${CA_FILE}` } : {}) };
}

/** Query parameters of the PostgreSQL sink's JDBC URL ("" when TLS is left to the driver's default). */
export function postgresUrlTls(tls: DatabaseTls | undefined, folder: string): string {
    if (!tls || tls.mode === "disable") return "";
    return `&sslmode=${tls.mode}${tls.ca ? `&sslrootcert=${encodeURIComponent(`${folder}/${CA_FILE}`)}` : ""}`;
}

/** Query parameters of the MySQL/MariaDB sink's JDBC URL: MariaDB Connector/J reads a PEM, MySQL Connector/J a trust store. */
export function mysqlUrlTls(flavor: MysqlFlavor, tls: DatabaseTls | undefined, folder: string): string {
    if (!tls || tls.mode === "disable") return "";
    if (flavor === "mariadb") {
        const mode = { require: "trust", "verify-ca": "verify-ca", "verify-full": "verify-full" }[tls.mode];
        // Connector/J takes option values as written (no URL decoding): the path is the worker's folder, as is.
        return `&sslMode=${mode}${tls.ca ? `&serverSslCert=${folder}/${CA_FILE}` : ""}`;
    }
    const mode = { require: "REQUIRED", "verify-ca": "VERIFY_CA", "verify-full": "VERIFY_IDENTITY" }[tls.mode];
    const store = tls.ca
        ? `&trustCertificateKeyStoreUrl=file:${folder}/${TRUSTSTORE_FILE}&trustCertificateKeyStorePassword=${TRUSTSTORE_PASSWORD}`
        : "";
    return `&sslMode=${mode}${store}`;
}
