// Effects: one kafkajs admin session as `pulumi` opens it (the topic and ACL providers), plaintext or secured.
// Captured into the providers' serialized code: packages are required inside the function.
import { KafkaAccess, kafkajsAccess } from "../core/kafkaAccess";

export async function withKafkaAdmin<T>(
    bootstrapServers: string,
    access: KafkaAccess | undefined,
    work: (admin: import("kafkajs").Admin) => Promise<T>,
): Promise<T> {
    const { Kafka, logLevel }: typeof import("kafkajs") = require("kafkajs");
    const admin = new Kafka({
        clientId: "tandem-pulumi",
        brokers: bootstrapServers.split(","),
        logLevel: logLevel.NOTHING,
        retry: { retries: 8 },
        ...kafkajsAccess(access),
    }).admin();
    await admin.connect();
    try {
        return await work(admin);
    } finally {
        await admin.disconnect();
    }
}
