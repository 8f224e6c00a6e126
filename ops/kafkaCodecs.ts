// The pipeline's producers compress with LZ4 (connectors/syncConnectors.ts), which kafkajs cannot read by itself:
// this registers a pure-JavaScript LZ4 codec (LZ4 frames, as Kafka writes them) once, for every reader of topics.
import { CompressionCodecs, CompressionTypes } from "kafkajs";
import * as lz4 from "lz4js";

let registered = false;

export function registerKafkaCodecs(): void {
    if (registered) return;
    registered = true;
    CompressionCodecs[CompressionTypes.LZ4] = () => ({
        async compress(encoder: { buffer: Buffer }) {
            return Buffer.from(lz4.compress(encoder.buffer));
        },
        async decompress(buffer: Buffer) {
            return Buffer.from(lz4.decompress(buffer));
        },
    });
}
