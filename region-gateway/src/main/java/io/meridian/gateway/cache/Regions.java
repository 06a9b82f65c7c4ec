package io.meridian.gateway.cache;

import io.meridian.coherence.version.Version;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.identity.NodeLease;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/** The deployment's regions as this gateway sees them: which one it is, and its origin id for versions. */
@ApplicationScoped
public class Regions {

    private final String self;
    private final List<String> names;
    private final int regionId;
    private final NodeLease lease;
    private final List<String> homeable;
    private final int relayOriginId;

    public Regions(MeridianConfig config, NodeLease lease) {
        this.lease = lease;
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
        this.regionId = regions.get(self).id().orElse(names.indexOf(self));
        this.relayOriginId = Version.originId(regionId, NodeLease.RELAY_NODE);
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

    /** @return whether this gateway may mint versions now (it holds a usable node number) */
    public boolean holdsNodeNumber() {
        return lease.ready();
    }

    /**
     * @return the origin id of versions written by this gateway: the region's id and the node number it leases
     * @throws io.meridian.gateway.api.MeridianException 503 {@code node-identity} while it holds no node number
     */
    public int originId() {
        return Version.originId(regionId, lease.nodeId());
    }
}
