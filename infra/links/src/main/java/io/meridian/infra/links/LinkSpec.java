package io.meridian.infra.links;

/**
 * One proxy of the links process: traffic of one kind from one region to another, on loopback.
 *
 * @param from the region the traffic comes from: whose gateway calls ({@code http}), whose events are read ({@code
 *     kafka})
 * @param to the region the traffic goes to: whose gateway answers ({@code http}), whose replicator reads ({@code
 *     kafka})
 * @param kind {@code http} (gateway to gateway) or {@code kafka} (a replicator reading another region's event topic)
 * @param port where the proxy listens
 * @param target where it forwards to: the gateway's port, or the broker's listener for this link
 */
public record LinkSpec(String from, String to, String kind, int port, int target) {

    public static final String HTTP = "http";
    public static final String KAFKA = "kafka";

    public LinkSpec {
        if (from.equals(to)) {
            throw new IllegalArgumentException("a link joins two different regions, not " + from + " to itself");
        }
        if (!kind.equals(HTTP) && !kind.equals(KAFKA)) {
            throw new IllegalArgumentException("unknown link kind " + kind);
        }
    }

    /** e.g. {@code us-east->eu-west kafka} */
    public String name() {
        return from + "->" + to + " " + kind;
    }
}
