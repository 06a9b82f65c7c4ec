package io.meridian.gateway.identity;

import io.meridian.coherence.version.Version;
import io.meridian.gateway.config.Regions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The origin id of the versions this gateway writes: its region's id and the node number it leases ({@link
 * NodeLease}), so that no two gateways of a region mint equal versions.
 */
@ApplicationScoped
public class VersionOrigin {

    private final Regions regions;
    private final NodeLease lease;
    private final int relayOriginId;

    public VersionOrigin(Regions regions, NodeLease lease) {
        this.regions = regions;
        this.lease = lease;
        this.relayOriginId = Version.originId(regions.regionId(), NodeLease.RELAY_NODE);
    }

    /**
     * @return the origin id of versions written by this gateway
     * @throws io.meridian.gateway.failure.GatewayFailure unavailable ({@code node-identity}) while it holds no node
     *     number
     */
    public int originId() {
        return Version.originId(regions.regionId(), lease.nodeId());
    }

    /** @return whether this gateway may mint versions now (it holds a usable node number) */
    public boolean ready() {
        return lease.ready();
    }

    /**
     * The origin under which the region's event-buffer relay holds the other regions' watermarks of this region
     * below the events it has not yet relayed ({@code kafka.BufferRelay}); no gateway writes under it.
     */
    public int relayOriginId() {
        return relayOriginId;
    }
}
