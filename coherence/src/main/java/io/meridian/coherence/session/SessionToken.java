package io.meridian.coherence.session;

import io.meridian.coherence.version.Version;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a client has seen: per home region, the highest version it has written or read there. A region may answer a
 * read locally only if its copy (or its applied watermark for the key's home) is at least that new; that gives
 * read-your-writes and monotonic reads in every region. Immutable; merging takes the maximum per region, so tokens
 * from parallel requests combine in any order.
 */
public record SessionToken(Map<String, Version> seen) {

    /** A client that has seen nothing. */
    public static final SessionToken EMPTY = new SessionToken(Map.of());

    public SessionToken {
        seen = Map.copyOf(seen);
    }

    /** @return the highest version seen from keys homed in {@code home}, if any */
    public Optional<Version> seenFrom(String home) {
        return Optional.ofNullable(seen.get(home));
    }

    /** @return this token having also seen {@code version} from {@code home} */
    public SessionToken with(String home, Version version) {
        Version current = seen.get(home);
        if (current != null && current.compareTo(version) >= 0) {
            return this;
        }
        Map<String, Version> next = new TreeMap<>(seen);
        next.put(home, version);
        return new SessionToken(next);
    }

    /** @return the per-region maximum of both tokens */
    public SessionToken merge(SessionToken other) {
        SessionToken merged = this;
        for (Map.Entry<String, Version> entry : other.seen.entrySet()) {
            merged = merged.with(entry.getKey(), entry.getValue());
        }
        return merged;
    }

    /**
     * @return true when a copy of version {@code local} of a key homed in {@code home} is new enough for this client
     */
    public boolean isSatisfiedBy(String home, Version local) {
        Version required = seen.get(home);
        return required == null || (local != null && local.compareTo(required) >= 0);
    }
}
