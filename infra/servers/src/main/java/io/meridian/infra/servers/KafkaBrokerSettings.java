package io.meridian.infra.servers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The configuration of a small single-node KRaft broker on loopback: one process is broker and controller, every
 * internal topic has one replica, and topics are created on first use with 3 partitions so that per-key ordering and
 * partition-level watermarks are exercised as in production.
 */
final class KafkaBrokerSettings {

    private KafkaBrokerSettings() {}

    /**
     * The broker's own listener on {@code port}, the controller's on {@code controllerPort}, and {@code extra}
     * listeners: each binds its own port and is advertised on another (a proxy's), all in plain
     * text. A client is always told the addresses of the listener its request arrived on, which is what keeps a
     * client that bootstrapped through a proxy behind that proxy.
     */
    static String serverProperties(Path dataDir, int port, int controllerPort, List<KafkaBroker.Listener> extra) {
        String host = LoopbackPorts.HOST;
        List<String> listeners =
                new ArrayList<>(List.of(address("PLAINTEXT", port), address("CONTROLLER", controllerPort)));
        List<String> advertised = new ArrayList<>(List.of(address("PLAINTEXT", port)));
        List<String> protocols = new ArrayList<>(List.of("PLAINTEXT:PLAINTEXT", "CONTROLLER:PLAINTEXT"));
        for (KafkaBroker.Listener listener : extra) {
            listeners.add(address(listener.name(), listener.port()));
            advertised.add(address(listener.name(), listener.advertisedPort()));
            protocols.add(listener.name() + ":PLAINTEXT");
        }
        return String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        // Static voters (not --standalone): what TOOLCHAIN.md verified with Kafka 4.1.1.
                        "controller.quorum.voters=1@" + host + ":" + controllerPort,
                        "listeners=" + String.join(",", listeners),
                        "advertised.listeners=" + String.join(",", advertised),
                        "controller.listener.names=CONTROLLER",
                        "inter.broker.listener.name=PLAINTEXT",
                        "listener.security.protocol.map=" + String.join(",", protocols),
                        "log.dirs=" + dataDir.resolve("data"),
                        "auto.create.topics.enable=true",
                        "num.partitions=3",
                        "default.replication.factor=1",
                        "min.insync.replicas=1",
                        "offsets.topic.replication.factor=1",
                        // 50 partitions by default: creating them is most of a consumer's first-join time on 2 cores.
                        "offsets.topic.num.partitions=5",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "transaction.state.log.num.partitions=5",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        "num.network.threads=2",
                        "num.io.threads=4",
                        "log.retention.hours=24",
                        "log.segment.bytes=67108864",
                        "")
                + "\n";
    }

    private static String address(String listener, int port) {
        return listener + "://" + LoopbackPorts.HOST + ":" + port;
    }

    /** Logs to stdout, which {@link ChildProcess} sends to the broker's log file. */
    static String log4j2() {
        return String.join(
                        "\n",
                        "status = warn",
                        "appender.out.type = Console",
                        "appender.out.name = OUT",
                        "appender.out.layout.type = PatternLayout",
                        "appender.out.layout.pattern = [%d] %p %m (%c)%n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.out.ref = OUT",
                        "logger.request.name = kafka.request.logger",
                        "logger.request.level = WARN",
                        "")
                + "\n";
    }
}
