import * as assert from "node:assert/strict";
import { mysqlDriverOptions, postgresDriverOptions } from "../../core/databaseTls";

const address = { host: "db", port: 1, user: "u", password: "p", database: "d" };

describe("database TLS as the Node drivers take it", () => {
    it("leaves the drivers' defaults when disabled or unset, and never passes `tls` on", () => {
        assert.deepEqual(mysqlDriverOptions({ ...address, tls: undefined }), address);
        assert.deepEqual(postgresDriverOptions({ ...address, tls: { mode: "disable" } }), address);
    });

    it("require encrypts without checking; verify-ca checks the CA only; verify-full the host name too", () => {
        assert.deepEqual(mysqlDriverOptions({ ...address, tls: { mode: "require" } }).ssl, {
            rejectUnauthorized: false,
            verifyIdentity: false,
        });
        assert.deepEqual(mysqlDriverOptions({ ...address, tls: { mode: "verify-full", ca: "CA" } }).ssl, {
            ca: "CA",
            rejectUnauthorized: true,
            verifyIdentity: true,
        });
        const verifyCa = postgresDriverOptions({ ...address, tls: { mode: "verify-ca", ca: "CA" } }).ssl!;
        assert.equal(verifyCa.rejectUnauthorized, true);
        assert.equal(verifyCa.checkServerIdentity?.("other-host", {} as never), undefined);
        const verifyFull = postgresDriverOptions({ ...address, tls: { mode: "verify-full", ca: "CA" } }).ssl!;
        assert.deepEqual(verifyFull, { ca: "CA", rejectUnauthorized: true });
    });
});
