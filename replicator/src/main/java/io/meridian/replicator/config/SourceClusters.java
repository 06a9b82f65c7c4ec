package io.meridian.replicator.config;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Which Kafka cluster holds each source region's event topic: the replicator's own ({@code kafka.bootstrap.servers})
 * unless {@code meridian.sources.<source>.bootstrap-servers} names another. Client settings other than the bootstrap
 * servers (security, timeouts) are those of the replicator's own cluster.
 */
@ApplicationScoped
public class SourceClusters {

    private final Map<String, Object> kafka;
    private final Map<String, String> remote = new HashMap<>();
    private final Map<String, String> groups = new HashMap<>();

    public SourceClusters(ReplicatorConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.kafka = Map.copyOf(kafka);
        String defaultGroup = "meridian-replicator-" + config.region();
        config.sources().forEach((source, cluster) -> {
            String servers = cluster.bootstrapServers().trim();
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("meridian.sources." + source + ".bootstrap-servers is empty");
            }
            remote.put(source, servers);
            groups.put(source, cluster.groupId().map(String::trim).orElse(defaultGroup));
        });
    }

    /** @return the consumer group a source read from a cluster of its own is read with */
    public String groupOf(String source) {
        String group = groups.get(source);
        if (group == null || group.isEmpty()) {
            throw new IllegalArgumentException("no consumer group for source " + source);
        }
        return group;
    }

    /** @return the sources read from a cluster of their own, sorted */
    public Set<String> remoteSources() {
        return new TreeSet<>(remote.keySet());
    }

    /** @return the Kafka client settings of the replicator's own cluster */
    public Map<String, Object> local() {
        return kafka;
    }

    /** @return the Kafka client settings for a source read from a cluster of its own */
    public Map<String, Object> of(String source) {
        String servers = remote.get(source);
        if (servers == null) {
            throw new IllegalArgumentException(source + " is read from the replicator's own Kafka");
        }
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers);
        return config;
    }
}
