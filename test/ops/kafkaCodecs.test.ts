// LZ4, as the pipeline's producers write it, readable by kafkajs once registered.
import * as assert from "node:assert/strict";
import { CompressionCodecs, CompressionTypes } from "kafkajs";
import { registerKafkaCodecs } from "../../ops/kafkaCodecs";

describe("ops/kafkaCodecs", () => {
    it("registers an LZ4 codec that round-trips a record batch's bytes", async () => {
        registerKafkaCodecs();
        const codec = CompressionCodecs[CompressionTypes.LZ4]();
        const payload = Buffer.from(JSON.stringify({ payload: { after: { id: 1, name: "x".repeat(500) } } }));
        const compressed = await codec.compress({ buffer: payload } as never);
        assert.ok(compressed.length < payload.length);
        // An LZ4 frame (magic 0x184D2204), the format Kafka's producers write.
        assert.equal(compressed.readUInt32LE(0), 0x184d2204);
        assert.deepEqual(await codec.decompress(compressed), payload);
    });
});
