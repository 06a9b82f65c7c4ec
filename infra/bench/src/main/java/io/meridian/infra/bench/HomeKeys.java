package io.meridian.infra.bench;

import io.meridian.coherence.placement.HomeRegionResolver;
import io.meridian.coherence.placement.Placement;
import java.util.List;
import java.util.Optional;

/**
 * Fresh keys whose home is one given region, picked with the placement code the gateways use (rendezvous hash over the
 * sorted region names), so that a write sent to that region's gateway is executed there, never forwarded. Keys are
 * {@code <prefix><n>} for increasing {@code n}, skipping those homed elsewhere; each key is returned once.
 */
final class HomeKeys {

    private final String prefix;
    private final String home;
    private final HomeRegionResolver resolver;
    private final Placement placement = new Placement.Hash();
    private long candidate;

    public HomeKeys(String prefix, String home, List<String> regions) {
        if (!regions.contains(home)) {
            throw new IllegalArgumentException(home + " is not one of " + regions);
        }
        this.prefix = prefix;
        this.home = home;
        this.resolver = new HomeRegionResolver(regions.stream().sorted().toList(), owner -> Optional.empty());
    }

    /** The next key homed in the region. */
    public String next() {
        while (true) {
            String key = prefix + candidate++;
            if (resolver.homeOf(key, placement).equals(home)) {
                return key;
            }
        }
    }

    /** Candidate names looked at so far, including those homed elsewhere. */
    public long candidates() {
        return candidate;
    }
}
