package io.meridian.coherence.placement;

import java.util.List;
import java.util.Objects;

/**
 * A namespace's rule for the home region of its keys: the one region that executes their writes and deletes.
 *
 * <ul>
 *   <li>{@code fixed:<region>}: every key lives in one region (data tied to a place);
 *   <li>{@code hash}: rendezvous hashing over the region list; adding a region moves only the keys that the new
 *       region wins, about 1/(N+1) of them;
 *   <li>{@code owner}: the key's first {@code :}-separated segment is an owner id looked up in the owner directory
 *       (users are homed where they signed up); unknown owners fall back to {@code hash}.
 * </ul>
 */
public sealed interface Placement {

    /** Parses {@code fixed:<region>}, {@code hash} or {@code owner}. */
    static Placement parse(String text, List<String> regions) {
        Objects.requireNonNull(text, "placement");
        if (text.equals("hash")) {
            return new Hash();
        }
        if (text.equals("owner")) {
            return new Owner();
        }
        if (text.startsWith("fixed:")) {
            String region = text.substring("fixed:".length());
            if (!regions.contains(region)) {
                throw new IllegalArgumentException("placement " + text + " names a region not in " + regions);
            }
            return new Fixed(region);
        }
        throw new IllegalArgumentException("placement must be fixed:<region>, hash or owner, not '" + text + "'");
    }

    /** Every key in one region. */
    record Fixed(String region) implements Placement {}

    /** Rendezvous hash of the key over the regions. */
    record Hash() implements Placement {}

    /** Looked up by owner, hash for unknown owners. */
    record Owner() implements Placement {

        /** @return the owner id of a key: its first {@code :}-separated segment (the whole key if none) */
        public static String ownerOf(String key) {
            int colon = key.indexOf(':');
            return colon < 0 ? key : key.substring(0, colon);
        }
    }
}
