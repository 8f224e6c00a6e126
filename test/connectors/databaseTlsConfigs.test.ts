import * as assert from "node:assert/strict";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    CA_FILE,
    jksTrustStore,
    mysqlSourceTls,
    mysqlUrlTls,
    postgresSourceTls,
    postgresUrlTls,
    tlsFiles,
    TRUSTSTORE_FILE,
    TRUSTSTORE_PASSWORD,
} from "../../connectors/databaseTlsConfigs";
import { mysqlSinkUrl, postgresSinkUrl } from "../../connectors/syncSinks";

const CA = fs.readFileSync(path.join(__dirname, "..", "fixtures", "tls", "ca.pem"), "utf8");
const folder = "/secrets/app-mysql-source";

describe("database TLS in the connectors' terms", () => {
    it("writes a JKS trust store Java's keytool reads, with its integrity digest, the same bytes every time", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "jks-")), "store.jks");
        fs.writeFileSync(file, jksTrustStore(CA + "\n" + CA));
        const listed = execFileSync("keytool", ["-list", "-keystore", file, "-storetype", "JKS", "-storepass", TRUSTSTORE_PASSWORD], {
            encoding: "utf8",
        });
        assert.match(listed, /contains 2 entries/);
        assert.match(listed, /ca-0, .*trustedCertEntry/);
        assert.throws(() =>
            execFileSync("keytool", ["-list", "-keystore", file, "-storetype", "JKS", "-storepass", "wrong"], { stdio: "pipe" }),
        );
        assert.deepEqual(jksTrustStore(CA), jksTrustStore(CA));
    });

    it("maps each mode to each connector's own spelling", () => {
        const verify = { mode: "verify-full" as const, ca: CA };
        assert.deepEqual(mysqlSourceTls("mariadb", verify, folder), {
            "database.ssl.mode": "verify-full",
            "database.ssl.truststore": `${folder}/${TRUSTSTORE_FILE}`,
            "database.ssl.truststore.password": TRUSTSTORE_PASSWORD,
        });
        assert.equal(mysqlSourceTls("mysql", verify, folder)["database.ssl.mode"], "verify_identity");
        assert.deepEqual(mysqlSourceTls("mariadb", { mode: "require" }, folder), { "database.ssl.mode": "trust" });
        assert.deepEqual(mysqlSourceTls("mysql", { mode: "disable" }, folder), {});
        assert.deepEqual(postgresSourceTls({ mode: "verify-ca", ca: CA }, folder), {
            "database.sslmode": "verify-ca",
            "database.sslrootcert": `${folder}/${CA_FILE}`,
        });
        assert.equal(postgresUrlTls({ mode: "require" }, folder), "&sslmode=require");
        assert.equal(mysqlUrlTls("mariadb", verify, folder), `&sslMode=verify-full&serverSslCert=${folder}/${CA_FILE}`);
        assert.match(
            mysqlUrlTls("mysql", verify, folder),
            /^&sslMode=VERIFY_IDENTITY&trustCertificateKeyStoreUrl=file:\/secrets\/app-mysql-source\/database-truststore.jks&/,
        );
    });

    it("adds the mode to the sinks' URLs after their session settings, and nothing when disabled", () => {
        const postgres = { host: "db", port: 5432, database: "app" };
        assert.doesNotMatch(postgresSinkUrl(postgres), /ssl/);
        assert.match(
            postgresSinkUrl({ ...postgres, tls: { mode: "verify-full", ca: CA }, filesFolder: folder }),
            /synchronous_commit%3Don&sslmode=verify-full&sslrootcert=/,
        );
        const mysql = { flavor: "mariadb" as const, host: "db", port: 3306, database: "app" };
        assert.match(mysqlSinkUrl({ ...mysql, tls: { mode: "require" }, filesFolder: folder }), /NO_ENGINE_SUBSTITUTION'&sslMode=trust$/);
    });

    it("ships the files each connector reads: a PEM, a trust store, or both; none without a CA", () => {
        assert.deepEqual(Object.keys(tlsFiles({ mode: "verify-ca", ca: CA }, "both")), [CA_FILE, TRUSTSTORE_FILE]);
        assert.deepEqual(Object.keys(tlsFiles({ mode: "verify-ca", ca: CA }, "pem")), [CA_FILE]);
        assert.equal(Buffer.from(tlsFiles({ mode: "verify-ca", ca: CA }, "pem")[CA_FILE], "base64").toString(), CA);
        assert.deepEqual(tlsFiles({ mode: "require" }, "both"), {});
        assert.deepEqual(tlsFiles({ mode: "disable", ca: CA }, "both"), {});
    });
});
