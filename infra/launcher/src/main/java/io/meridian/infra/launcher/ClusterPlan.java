package io.meridian.infra.launcher;

import io.meridian.infra.cluster.AppKind;
import io.meridian.infra.cluster.ClusterException;
import io.meridian.infra.servers.LoopbackPorts;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The shape of a local cluster decided before anything starts: region names, each region's HTTP ports, the links
 * between regions, and the secret the regions use on their internal API. Ports are fixed up front because every
 * app's configuration lists the URLs of all regions.
 *
 * @param regions in the order given on the command line; the first one is where {@code bench} runs
 * @param withReplicator whether replicators are started (only once their jar has been built)
 * @param internalSecret shared by all regions of this cluster, new for every {@code up}
 * @param withOrigin whether the demo origin runs behind the default namespaces {@code users} and {@code tweets}
 * @param links one per ordered pair of regions (none for a single region): the proxies all traffic between regions
 *     goes through, so that drills can cut it
 * @param linksControlPort the port of the links' control interface (see {@code RegionLinks}); 0 without links
 * @param kafkaClientTimeoutMillis the replicators' Kafka client timeouts ({@code default.api.timeout.ms} and {@code
 *     request.timeout.ms}); 0 leaves Kafka's defaults (60 s and 30 s). Shorter ones make a long fault short in a test
 */
record ClusterPlan(
        List<RegionPlan> regions,
        boolean withReplicator,
        String internalSecret,
        boolean withOrigin,
        List<RegionLink> links,
        int linksControlPort,
        long kafkaClientTimeoutMillis) {

    private static final Pattern REGION_NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public ClusterPlan {
        regions = List.copyOf(regions);
        links = List.copyOf(links);
        if (regions.isEmpty()) {
            throw new ClusterException("at least one region is needed");
        }
    }

    /** Plans regions {@code names} on free loopback ports. */
    public static ClusterPlan of(List<String> names, boolean withReplicator) {
        List<String> unique = List.copyOf(new LinkedHashSet<>(names));
        if (unique.size() != names.size()) {
            throw new ClusterException("region names must be unique: " + names);
        }
        for (String name : names) {
            if (!REGION_NAME.matcher(name).matches()) {
                throw new ClusterException("bad region name '" + name
                        + "': lower-case letters, digits and '-', starting with a letter, at most 32 characters");
            }
        }
        Set<Integer> taken = new HashSet<>();
        List<RegionPlan> regions = names.stream()
                .map(name -> new RegionPlan(name, distinctFreePort(taken), distinctFreePort(taken)))
                .collect(Collectors.toList());
        List<RegionLink> links = new ArrayList<>();
        for (String from : names) {
            for (String to : names) {
                if (!from.equals(to)) {
                    links.add(new RegionLink(
                            from,
                            to,
                            distinctFreePort(taken),
                            distinctFreePort(taken),
                            distinctFreePort(taken),
                            "REGION_LINK_" + (links.size() + 1)));
                }
            }
        }
        int control = links.isEmpty() ? 0 : distinctFreePort(taken);
        return new ClusterPlan(regions, withReplicator, newSecret(), true, links, control, 0);
    }

    /** This plan without the demo origin: the default namespaces are then cache-aside only. */
    public ClusterPlan withoutOrigin() {
        return new ClusterPlan(
                regions, withReplicator, internalSecret, false, links, linksControlPort, kafkaClientTimeoutMillis);
    }

    /** This plan with the replicators' Kafka client timeouts set to {@code millis}. */
    public ClusterPlan withKafkaClientTimeout(long millis) {
        return new ClusterPlan(regions, withReplicator, internalSecret, withOrigin, links, linksControlPort, millis);
    }

    /** The link carrying traffic from region {@code from} to region {@code to}. */
    public RegionLink link(String from, String to) {
        return links.stream()
                .filter(link -> link.from().equals(from) && link.to().equals(to))
                .findFirst()
                .orElseThrow(() -> new ClusterException("no link from " + from + " to " + to));
    }

    /** The OS may hand the same free port out twice once the probe socket is closed: never give it twice. */
    private static int distinctFreePort(Set<Integer> taken) {
        int port = LoopbackPorts.free();
        while (!taken.add(port)) {
            port = LoopbackPorts.free();
        }
        return port;
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The network from one region to another: what {@code from}'s gateway sends to {@code to}'s gateway, and what
     * {@code to}'s replicator reads of {@code from}'s event topic, each through a proxy of its own.
     *
     * @param httpPort the proxy in front of {@code to}'s gateway, for {@code from}'s apps
     * @param kafkaPort the proxy in front of the broker, for {@code to}'s replicator reading {@code from}'s events;
     *     the broker advertises {@code kafkaListener} on this port, so the consumer never connects around the proxy
     * @param brokerPort where the broker's listener {@code kafkaListener} binds, the Kafka proxy's target
     * @param kafkaListener the broker's listener name for this link
     */
    public record RegionLink(
            String from, String to, int httpPort, int kafkaPort, int brokerPort, String kafkaListener) {

        /** What {@code from}'s apps use as {@code to}'s gateway URL. */
        public String gatewayUrl() {
            return "http://" + LoopbackPorts.HOST + ":" + httpPort;
        }

        /** What {@code to}'s replicator uses as the bootstrap servers of {@code from}'s events. */
        public String bootstrapServers() {
            return LoopbackPorts.HOST + ":" + kafkaPort;
        }
    }

    /**
     * One region's HTTP ports.
     *
     * @param name e.g. {@code us-east}
     */
    public record RegionPlan(String name, int gatewayPort, int replicatorPort) {

        public String gatewayUrl() {
            return "http://" + LoopbackPorts.HOST + ":" + gatewayPort;
        }

        public String replicatorUrl() {
            return "http://" + LoopbackPorts.HOST + ":" + replicatorPort;
        }

        public int port(AppKind app) {
            return app == AppKind.GATEWAY ? gatewayPort : replicatorPort;
        }
    }
}
