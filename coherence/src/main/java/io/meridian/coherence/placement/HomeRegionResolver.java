package io.meridian.coherence.placement;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides the home region of a key under a {@link Placement}.
 *
 * <p>Rendezvous (highest random weight) hashing, Thaler and Ravishankar, "Using Name-Based Mappings to Increase Hit
 * Rates", IEEE/ACM ToN 1998: every region scores the key and the highest score wins. Unlike a modulo, removing or
 * adding a region moves only the keys that region loses or wins. The score is FNV-1a over key and region, finished
 * with the SplitMix64 mixer so that similar keys spread evenly.
 */
public final class HomeRegionResolver {

    private final List<String> regions;
    private final Function<String, Optional<String>> ownerDirectory;

    /**
     * @param regions every region a key may be homed in (read-only regions excluded)
     * @param ownerDirectory owner id → home region, for {@link Placement.Owner}
     */
    public HomeRegionResolver(List<String> regions, Function<String, Optional<String>> ownerDirectory) {
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("at least one region is needed");
        }
        this.regions = List.copyOf(regions);
        this.ownerDirectory = ownerDirectory;
    }

    public String homeOf(String key, Placement placement) {
        Optional<String> ownerRegion = placement instanceof Placement.Owner
                ? ownerDirectory.apply(Placement.Owner.ownerOf(key))
                : Optional.empty();
        return homeOf(key, placement, ownerRegion);
    }

    /**
     * Like {@link #homeOf(String, Placement)}, with the owner's directory entry already looked up (asynchronous
     * callers read the directory themselves).
     */
    public String homeOf(String key, Placement placement, Optional<String> ownerRegion) {
        if (placement instanceof Placement.Fixed fixed) {
            return fixed.region();
        }
        if (placement instanceof Placement.Owner) {
            return ownerRegion.filter(regions::contains).orElseGet(() -> rendezvous(key));
        }
        return rendezvous(key);
    }

    /**
     * Every region in the key's rendezvous order, highest score first: the first is its hash home, the next one takes
     * over when the first cannot (a failover or a planned handover).
     */
    public List<String> ranked(String key) {
        return regions.stream()
                .sorted((a, b) -> Long.compareUnsigned(score(key, b), score(key, a)))
                .toList();
    }

    /** The region with the highest score for the key. Ties (astronomically rare) go to the first in the list. */
    public String rendezvous(String key) {
        String best = null;
        long bestScore = 0;
        for (String region : regions) {
            long score = score(key, region);
            if (best == null || Long.compareUnsigned(score, bestScore) > 0) {
                best = region;
                bestScore = score;
            }
        }
        return best;
    }

    static long score(String key, String region) {
        long hash = 0xcbf29ce484222325L;
        hash = fnv(hash, key.getBytes(StandardCharsets.UTF_8));
        hash = fnv(hash, new byte[] {0});
        hash = fnv(hash, region.getBytes(StandardCharsets.UTF_8));
        return mix(hash);
    }

    private static long fnv(long hash, byte[] bytes) {
        for (byte b : bytes) {
            hash ^= (b & 0xff);
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /** SplitMix64's finaliser (Steele, Lea, Flood, "Fast Splittable Pseudorandom Number Generators", 2014). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
