package io.meridian.gateway.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * The deployment's regions as this gateway's configuration names them: which one it is, which may be homes, and its
 * region id (the origin id of its versions adds the node number the gateway leases: {@code identity.VersionOrigin}).
 */
@ApplicationScoped
public class Regions {

    private final String self;
    private final List<String> names;
    private final int regionId;
    private final List<String> homeable;

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
        this.regionId = regions.get(self).id().orElse(names.indexOf(self));
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

    /** @return this region's id, the high part of the origin id of every version its gateways write */
    public int regionId() {
        return regionId;
    }
}
