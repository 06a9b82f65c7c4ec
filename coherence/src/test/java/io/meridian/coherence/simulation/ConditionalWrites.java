package io.meridian.coherence.simulation;

import io.meridian.coherence.version.Version;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a home checks before it takes a cache-aside write, so that a slow client cannot put an old row back after it
 * was changed or deleted. The checks run in the home in the same step as the write they admit (in the product under
 * a per-key lock around check, log append and apply; the model is single-threaded); a refused write (409) changes
 * nothing, an admitted one is logged and replicated like any write.
 *
 * <ul>
 *   <li><b>Fill leases</b> (memcache style): a miss asks the home for a lease; the home hands out at most one per key
 *       per lease TTL, and none while it holds a live value. A lease records the home's stored version of the key
 *       when issued (its base: the version of the tombstone or kept expired value there, none when the key is
 *       absent). A put carrying a lease is refused once the lease has expired on the home's clock, or when the home's
 *       stored version is no longer exactly the base.
 *   <li><b>External versions</b>: a put or delete may carry the application's row version; the home keeps it with
 *       the value or tombstone it stores. A put whose external version is lower than a stored value's, or lower than
 *       or equal to a stored tombstone's (that row version was deleted), is refused; unless only puts are checked,
 *       so is a delete whose external version is lower than the stored one. A write without one, or a key stored
 *       without one, is not checked. A write without one leaves none, or keeps the stored one ({@link
 *       SimulationConfig.Protocol#unversionedWritesKeepExternalVersion()}).
 * </ul>
 *
 * A put may carry both, then both must pass. With {@link SimulationConfig.WriteChecks#NONE} (the negative control)
 * every write is taken.
 */
final class ConditionalWrites {

    /**
     * A fill lease of one key, as its home issued it.
     *
     * @param base the home's stored version when the lease was issued; null when the key was absent
     * @param expiresAtMillis on the home's wall clock
     */
    record Lease(long id, Version base, long expiresAtMillis) {

        @Override
        public String toString() {
            return "lease #" + id + " on " + (base == null ? "nothing" : base.toString());
        }
    }

    /** What a put carries besides its value: a lease, an external version, both or neither. */
    record Conditions(Optional<Lease> lease, OptionalLong externalVersion) {

        static final Conditions NONE = new Conditions(Optional.empty(), OptionalLong.empty());

        @Override
        public String toString() {
            return lease.map(Lease::toString).orElse("no lease") + ", "
                    + (externalVersion.isPresent() ? "external version " + externalVersion.getAsLong() : "no version");
        }
    }

    private final SimulationConfig.WriteChecks checks;
    private final boolean unversionedWritesKeepExternalVersion;
    private final long leaseTtlMillis;
    private final Map<String, Lease> lastLease = new HashMap<>();
    private long leasesIssued;
    private long refusedByLease;
    private long refusedByExternalVersion;

    ConditionalWrites(SimulationConfig.Protocol protocol, long leaseTtlMillis) {
        this.checks = protocol.writeChecks();
        this.unversionedWritesKeepExternalVersion = protocol.unversionedWritesKeepExternalVersion();
        this.leaseTtlMillis = leaseTtlMillis;
    }

    /** A miss in some region asks {@code home} for a lease on {@code key}. */
    Optional<Lease> issue(Region home, String key) {
        ReplicaStore.Entry entry = home.store.get(key);
        if (entry != null && !entry.value().tombstone()) {
            return Optional.empty();
        }
        long now = home.clock.millis();
        Lease last = lastLease.get(key);
        if (last != null && now <= last.expiresAtMillis()) {
            return Optional.empty();
        }
        Version base = entry == null ? null : entry.value().version();
        Lease lease = new Lease(++leasesIssued, base, now + leaseTtlMillis);
        lastLease.put(key, lease);
        return Optional.of(lease);
    }

    /** @return true when {@code home} takes a put of {@code key} with {@code conditions} now */
    boolean admitsPut(Region home, String key, Conditions conditions) {
        if (checks == SimulationConfig.WriteChecks.NONE) {
            return true;
        }
        ReplicaStore.Entry entry = home.store.get(key);
        if (conditions.lease().isPresent()
                && !leaseHolds(home, conditions.lease().get(), entry)) {
            refusedByLease++;
            return false;
        }
        return admitsExternalVersion(conditions.externalVersion(), entry, false);
    }

    /** @return true when {@code home} takes a delete of {@code key} with {@code externalVersion} now */
    boolean admitsDelete(Region home, String key, OptionalLong externalVersion) {
        return checks != SimulationConfig.WriteChecks.PUTS_AND_DELETES
                || admitsExternalVersion(externalVersion, home.store.get(key), true);
    }

    /** @return the external version {@code home} stores with a write of {@code key} that carried {@code given} */
    OptionalLong toStore(Region home, String key, OptionalLong given) {
        if (given.isPresent() || !unversionedWritesKeepExternalVersion) {
            return given;
        }
        ReplicaStore.Entry entry = home.store.get(key);
        return entry == null ? OptionalLong.empty() : entry.externalVersion();
    }

    long leasesIssued() {
        return leasesIssued;
    }

    long refusedByLease() {
        return refusedByLease;
    }

    long refusedByExternalVersion() {
        return refusedByExternalVersion;
    }

    private static boolean leaseHolds(Region home, Lease lease, ReplicaStore.Entry entry) {
        Version stored = entry == null ? null : entry.value().version();
        return home.clock.millis() <= lease.expiresAtMillis() && Objects.equals(stored, lease.base());
    }

    /** A write older than the stored external version is refused, and so is a put of a deleted row version. */
    private boolean admitsExternalVersion(OptionalLong given, ReplicaStore.Entry entry, boolean delete) {
        if (given.isEmpty() || entry == null || entry.externalVersion().isEmpty()) {
            return true;
        }
        long stored = entry.externalVersion().getAsLong();
        boolean deletedRow = entry.value().tombstone() && !delete;
        if (given.getAsLong() < stored || (given.getAsLong() == stored && deletedRow)) {
            refusedByExternalVersion++;
            return false;
        }
        return true;
    }
}
