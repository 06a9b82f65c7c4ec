package io.meridian.gateway.conditions;

import io.meridian.coherence.redis.StoredEntry;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.version.Version;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.failure.GatewayFailure.Kind;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a write asks of the key's current state in its home region before it may apply: {@code If-Match} (the current
 * live value has this version), {@code If-None-Match: *} (no live value), a fill lease ({@code Meridian-Lease}: no
 * write or delete since the lease was issued) and an external version ({@code Meridian-External-Version}: not older
 * than the application's version stored with the key). A write with none of them is unconditional.
 *
 * @param ifMatch the version the current value must have
 * @param ifNoneMatchAny the key must hold no live value
 * @param lease a verified fill lease of this key
 * @param externalVersion the application's own version of the data written
 */
public record WriteConditions(
        Optional<Version> ifMatch,
        boolean ifNoneMatchAny,
        Optional<FillLeases.Lease> lease,
        OptionalLong externalVersion) {

    /** Header of a fill lease. */
    public static final String LEASE_HEADER = "Meridian-Lease";

    /** Header of the application's external version. */
    public static final String EXTERNAL_VERSION_HEADER = "Meridian-External-Version";

    /** An unconditional write. */
    public static final WriteConditions NONE =
            new WriteConditions(Optional.empty(), false, Optional.empty(), OptionalLong.empty());

    /** @return whether the home must check the key's current state before this write */
    public boolean checksState() {
        return ifMatch.isPresent() || ifNoneMatchAny || lease.isPresent() || externalVersion.isPresent();
    }

    /** @return the external version to store with the write, or none */
    public long externalVersionOrNone() {
        return externalVersion.isPresent() ? externalVersion.getAsLong() : StoredValue.NO_EXTERNAL_VERSION;
    }

    /**
     * Checks the conditions against the key's current state in its home region.
     *
     * @param delete whether the write is a delete
     * @throws GatewayFailure 412 when {@code If-Match} or {@code If-None-Match} fails, 409 when the lease is
     *     superseded or the external version is older than the stored one
     */
    public void check(StoredEntry current, boolean delete) {
        StoredValue stored = current.value();
        boolean live = current.isLive();
        if (ifMatch.isPresent() && (!live || !stored.version().equals(ifMatch.get()))) {
            throw new GatewayFailure(
                    Kind.PRECONDITION_FAILED,
                    "precondition-failed",
                    live
                            ? "the current version is " + stored.version().toHex() + ", not "
                                    + ifMatch.get().toHex()
                            : "the key holds no value",
                    "If-Match");
        }
        if (ifNoneMatchAny && live) {
            throw new GatewayFailure(
                    Kind.PRECONDITION_FAILED,
                    "precondition-failed",
                    "the key holds a value (version " + stored.version().toHex() + ")",
                    "If-None-Match");
        }
        if (lease.isPresent()
                && !lease.get().base().equals(Optional.ofNullable(stored).map(StoredValue::version))) {
            throw new GatewayFailure(
                    Kind.CONFLICT,
                    "lease-superseded",
                    "the key was written or deleted since the lease was issued; read it again",
                    LEASE_HEADER);
        }
        if (externalVersion.isPresent() && stored != null && stored.hasExternalVersion()) {
            long given = externalVersion.getAsLong();
            long kept = stored.externalVersion();
            // A delete at version n removed the row as of n: a fill of version n must not bring it back.
            boolean older = given < kept || (given == kept && stored.tombstone() && !delete);
            if (older) {
                throw new GatewayFailure(
                        Kind.CONFLICT,
                        "stale-external-version",
                        "external version " + given + " is older than the stored " + kept
                                + (stored.tombstone() ? " (deleted)" : ""),
                        EXTERNAL_VERSION_HEADER);
            }
        }
    }
}
