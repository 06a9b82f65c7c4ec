package io.meridian.infra.launcher;

import java.util.List;

/** Kills the Kafka broker with SIGKILL and, at the heal, starts it again with the same command, data and ports. */
final class KafkaOutageFault implements DrillFault {

    private final DrillCluster cluster;
    private final List<String> command;

    KafkaOutageFault(DrillCluster cluster) {
        this.cluster = cluster;
        this.command = cluster.kafkaCommandLine();
    }

    @Override
    public String description() {
        return "kill -9 the Kafka broker, restart it: writes are refused (reject), reads go on, all converge";
    }

    @Override
    public void inject(List<String> violations) {
        cluster.killProcess("kafka");
    }

    @Override
    public void heal(List<String> violations) {
        cluster.restartKafka(command);
    }
}
