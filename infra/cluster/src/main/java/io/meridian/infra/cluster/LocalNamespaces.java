package io.meridian.infra.cluster;

import java.util.List;

/**
 * The namespaces a local cluster's gateways are configured with beyond their defaults (see the launcher's {@code
 * AppSettings}), named once here because the drills and benchmarks that exercise them must use the same names.
 */
public final class LocalNamespaces {

    /** The namespaces backed by the demo origin's tables, read through on a miss. */
    public static final List<String> DEMO_ORIGIN = List.of("users", "tweets");

    /** Fails its writes over to the next region when its home is down ({@code failover-after=2s}). */
    public static final String FAILOVER = "presence";

    /** Keeps taking writes while Kafka is away ({@code kafka-outage-policy=buffer}). */
    public static final String BUFFERED = "drafts";

    /** Like {@code tweets} but without the near cache: what {@code bench hotkey} compares against. */
    public static final String WITHOUT_NEAR_CACHE = "bench-no-l1";

    private LocalNamespaces() {}
}
