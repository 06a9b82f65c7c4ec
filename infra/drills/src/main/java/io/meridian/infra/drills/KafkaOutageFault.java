package io.meridian.infra.drills;

import io.meridian.infra.cluster.LocalNamespaces;
import java.util.List;

/**
 * Kills the Kafka broker with SIGKILL and, at the heal, starts it again with the same command, data and ports. The
 * drill's clients write {@code drafts}, whose {@code kafka-outage-policy} is {@code buffer}: their writes must go on
 * (kept in each home region's event buffer, relayed in order when Kafka is back), and every region must converge.
 */
final class KafkaOutageFault implements DrillFault {

    private final DrillCluster cluster;
    private final List<String> command;

    KafkaOutageFault(DrillCluster cluster) {
        this.cluster = cluster;
        this.command = cluster.kafkaCommandLine();
    }

    /** How long after the kill the first write of each gateway may wait for the produce to time out. */
    static final long BUFFERING_AFTER_MILLIS = 2_000;

    @Override
    public String description() {
        return "kill -9 the Kafka broker, restart it: writes of drafts (policy buffer) go on from the event buffer,"
                + " reads go on, all converge once the buffer is relayed";
    }

    @Override
    public String namespace() {
        return LocalNamespaces.BUFFERED;
    }

    @Override
    public void check(List<DrillHistory.Op> ops, long injectAt, long healAt, List<String> violations) {
        List<DrillHistory.Op> during = ops.stream()
                .filter(op -> op.isWrite()
                        && op.status() != 412
                        && op.atMillis() >= injectAt + BUFFERING_AFTER_MILLIS
                        && op.atMillis() < healAt)
                .toList();
        long acked = during.stream().filter(DrillHistory.Op::acked).count();
        if (during.isEmpty() || acked * 2 < during.size()) {
            violations.add("only " + acked + " of " + during.size() + " writes during the outage were acknowledged:"
                    + " the buffer policy did not keep writes going");
        }
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
