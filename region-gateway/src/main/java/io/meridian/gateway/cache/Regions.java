package io.meridian.gateway.cache;

import io.meridian.coherence.version.Version;
import io.meridian.gateway.config.MeridianConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/** The deployment's regions as this gateway sees them: which one it is, and its origin id for versions. */
@ApplicationScoped
public class Regions {

    private final String self;
    private final List<String> names;
    private final int originId;
    private final int relayOriginId;

    /** The node number reserved for the relay's origin. */
    private static final int RELAY_NODE = 255;

    public Regions(MeridianConfig config) {
        Map<String, MeridianConfig.RegionConfig> regions = config.regions();
        this.self = config.region();
        this.names = regions.keySet().stream().sorted().toList();
        if (!regions.containsKey(self)) {
            throw new IllegalStateException(
                    "meridian.region=" + self + " is not among the configured regions " + names);
        }
        if (config.nodeId() < 0 || config.nodeId() >= RELAY_NODE) {
            throw new IllegalStateException("meridian.node-id must be 0.." + (RELAY_NODE - 1) + ", was "
                    + config.nodeId() + " (" + RELAY_NODE + " is reserved for the event-buffer relay)");
        }
        int regionId = regions.get(self).id().orElse(names.indexOf(self));
        this.originId = Version.originId(regionId, config.nodeId());
        this.relayOriginId = Version.originId(regionId, RELAY_NODE);
    }

    /**
     * The origin under which the region's event-buffer relay holds the other regions' watermarks of this region
     * below the events it has not yet relayed ({@code kafka.BufferRelay}); no gateway writes under it.
     */
    public int relayOriginId() {
        return relayOriginId;
    }

    /** @return this gateway's region */
    public String self() {
        return self;
    }

    /** @return every region's name, sorted */
    public List<String> names() {
        return names;
    }

    /** @return the origin id of versions written by this gateway */
    public int originId() {
        return originId;
    }
}
