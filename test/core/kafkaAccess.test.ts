import * as assert from "node:assert/strict";
import { javaScramSettings, kafkajsAccess, scramJaasConfig } from "../../core/kafkaAccess";

describe("Kafka access for each client", () => {
    it("kafkajs: TLS with the CA and SCRAM-SHA-512 for sasl-scram; nothing for plaintext", () => {
        assert.deepEqual(kafkajsAccess({ security: "plaintext" }), {});
        assert.deepEqual(kafkajsAccess(undefined), {});
        assert.deepEqual(kafkajsAccess({ security: "sasl-scram", username: "u", password: "p", ca: "CA" }), {
            ssl: { ca: ["CA"] },
            sasl: { mechanism: "scram-sha-512", username: "u", password: "p" },
        });
        assert.equal(kafkajsAccess({ security: "sasl-scram", username: "u", password: "p" }).ssl, true);
    });

    it("Java clients: SASL_SSL with a PEM trust store inline, the JAAS line quoted (it holds the password)", () => {
        assert.deepEqual(javaScramSettings("CA"), {
            "security.protocol": "SASL_SSL",
            "sasl.mechanism": "SCRAM-SHA-512",
            "ssl.truststore.type": "PEM",
            "ssl.truststore.certificates": "CA",
        });
        assert.equal(
            scramJaasConfig('o"ne', "p\\w"),
            'org.apache.kafka.common.security.scram.ScramLoginModule required username="o\\"ne" password="p\\\\w";',
        );
    });
});
