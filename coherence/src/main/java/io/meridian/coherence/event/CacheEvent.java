package io.meridian.coherence.event;

import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.version.Version;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a home region writes to its log ({@code meridian.<region>.events}) before it applies a change, and what every
 * region's replicator applies with apply-if-newer. Events of one key share the Kafka record key {@link #recordKey()}
 * so they stay ordered on one partition, though ordering is not needed for correctness: versions decide.
 */
public sealed interface CacheEvent {

    /** @return the Kafka record key: namespace and key, so one key's events stay on one partition. */
    String recordKey();

    /**
     * A value was stored; {@code externalVersion} is the application's own row version given with the write, or
     * {@link StoredValue#NO_EXTERNAL_VERSION}.
     */
    record Write(
            String namespace,
            String key,
            Version version,
            long expiresAtMillis,
            String contentType,
            byte[] value,
            long externalVersion)
            implements CacheEvent {

        /** A write without an external version. */
        public Write(
                String namespace, String key, Version version, long expiresAtMillis, String contentType, byte[] value) {
            this(namespace, key, version, expiresAtMillis, contentType, value, StoredValue.NO_EXTERNAL_VERSION);
        }

        public Write {
            requireKey(namespace, key);
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(contentType, "contentType");
            if (expiresAtMillis <= 0) {
                throw new IllegalArgumentException("expiresAtMillis must be positive");
            }
        }

        /**
         * @return true when the event carries the value; a value over the event size limit travels as an
         *     invalidation only, and other regions fill it from the home region
         */
        public boolean carriesValue() {
            return value != null;
        }

        @Override
        public String recordKey() {
            return CacheEvent.recordKey(namespace, key);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Write that
                    && namespace.equals(that.namespace)
                    && key.equals(that.key)
                    && version.equals(that.version)
                    && expiresAtMillis == that.expiresAtMillis
                    && contentType.equals(that.contentType)
                    && Arrays.equals(value, that.value)
                    && externalVersion == that.externalVersion;
        }

        @Override
        public int hashCode() {
            return Objects.hash(
                    namespace, key, version, expiresAtMillis, contentType, Arrays.hashCode(value), externalVersion);
        }

        @Override
        public String toString() {
            return "Write[" + namespace + "/" + key + " " + version + ", " + (value == null ? "no value" : value.length)
                    + " bytes]";
        }
    }

    /**
     * A value was deleted; replicas store a tombstone with this version (and the application's external version of the
     * delete, or {@link StoredValue#NO_EXTERNAL_VERSION}).
     */
    record Delete(String namespace, String key, Version version, long externalVersion) implements CacheEvent {

        /** A delete without an external version. */
        public Delete(String namespace, String key, Version version) {
            this(namespace, key, version, StoredValue.NO_EXTERNAL_VERSION);
        }

        public Delete {
            requireKey(namespace, key);
            Objects.requireNonNull(version, "version");
        }

        @Override
        public String recordKey() {
            return CacheEvent.recordKey(namespace, key);
        }
    }

    /**
     * A producing gateway's clock, sent to every partition of its region's topic. Every event this producer appends
     * later carries a newer version, so once a replicator has applied a partition up to a heartbeat it has seen all of
     * that producer's events up to the heartbeat's time: the replication watermark.
     */
    record Heartbeat(int origin, long hlc) implements CacheEvent {

        public Heartbeat {
            new Version(hlc, origin); // validates both
        }

        @Override
        public String recordKey() {
            return "heartbeat/" + origin;
        }
    }

    /**
     * Every key of a namespace ({@code owner} empty), or every key of one owner in it (the owner segment of its keys,
     * see {@code Placement.Owner#ownerOf}), stored with a version up to {@code version}, is purged in every region:
     * each region records the purge (the newest per namespace and owner wins) and reads older copies as absent; a
     * background sweep reclaims their memory.
     */
    record Purge(String namespace, String owner, Version version) implements CacheEvent {

        public Purge {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(owner, "owner");
            if (namespace == null || namespace.isEmpty()) {
                throw new IllegalArgumentException("a purge names its namespace");
            }
        }

        /** @return whether the purge covers the whole namespace (else one owner's keys in it) */
        public boolean wholeNamespace() {
            return owner.isEmpty();
        }

        @Override
        public String recordKey() {
            return "purge/" + namespace + "/" + owner;
        }
    }

    /** The record key of a namespace's key: {@code namespace/key} (namespace names cannot contain '/'). */
    static String recordKey(String namespace, String key) {
        return namespace + "/" + key;
    }

    private static void requireKey(String namespace, String key) {
        if (namespace == null || namespace.isEmpty() || key == null || key.isEmpty()) {
            throw new IllegalArgumentException("an event needs a namespace and a key");
        }
    }
}
