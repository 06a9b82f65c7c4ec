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

    public Regions(MeridianConfig config) {
        Map<String, MeridianConfig.RegionConfig> regions = config.regions();
        this.self = config.region();
        this.names = regions.keySet().stream().sorted().toList();
        if (!regions.containsKey(self)) {
            throw new IllegalStateException(
                    "meridian.region=" + self + " is not among the configured regions " + names);
        }
        int regionId = regions.get(self).id().orElse(names.indexOf(self));
        this.originId = Version.originId(regionId, config.nodeId());
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
