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
    private final List<String> homeable;
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
        regions.forEach((name, region) -> {
            if (!region.role().equals("read-write") && !region.role().equals("read-only")) {
                throw new IllegalStateException("meridian.regions." + name
                        + ".role must be read-write or read-only, not '" + region.role() + "'");
            }
        });
        this.homeable = names.stream()
                .filter(name -> regions.get(name).role().equals("read-write"))
                .toList();
        if (homeable.isEmpty()) {
            throw new IllegalStateException(
                    "at least one region must be read-write: every region in " + names + " is read-only");
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

    /** @return the regions that may be a key's home (every read-write region), sorted */
    public List<String> homeable() {
        return homeable;
    }

    /** @return whether this region is read-only: never a home, every write is forwarded */
    public boolean readOnly() {
        return !homeable.contains(self);
    }

    /** @return the origin id of versions written by this gateway */
    public int originId() {
        return originId;
    }
}
