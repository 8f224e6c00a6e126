// Container images, pinned by version (and digest once an environment first pulls them). One place, so a
// reviewer sees every image a stack runs.
export const IMAGES = {
    kafka: "apache/kafka:4.1.1",
    prometheus: "prom/prometheus:v2.55.1",
    grafana: "grafana/grafana:11.3.0",
    kafkaUi: "provectuslabs/kafka-ui:v0.7.2",
    /** Base of our Connect image (docker/connect/Dockerfile): Eclipse Temurin 17 JRE. */
    connectBase: "eclipse-temurin:17.0.15_6-jre",
} as const;
