package io.meridian.infra.launcher;

import io.meridian.infra.cluster.AppKind;
import io.meridian.infra.cluster.LocalNamespaces;
import io.meridian.infra.launcher.ClusterPlan.RegionPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The configuration file of one app in one region, read by Quarkus through {@code quarkus.config.locations}.
 *
 * <p>The same keys work as environment variables in production ({@code MERIDIAN_REGION}, {@code
 * QUARKUS_REDIS_HOSTS}, ...), so this file is also the list of what an operator sets per region.
 */
final class AppSettings {

    private AppSettings() {}

    static String properties(
            ClusterPlan plan,
            RegionPlan region,
            AppKind app,
            String redisUri,
            String kafkaBootstrapServers,
            String originUrl) {
        List<String> lines = new ArrayList<>();
        lines.add("# Written by ./meridian up for " + region.name() + " " + app.id() + "; rewritten on every up.");
        lines.add("quarkus.http.host=127.0.0.1");
        lines.add("quarkus.http.port=" + region.port(app));
        lines.add("meridian.region=" + region.name());
        for (RegionPlan each : plan.regions()) {
            // Another region's gateway is reached through the link to it, which drills can cut.
            String gatewayUrl = each.name().equals(region.name())
                    ? each.gatewayUrl()
                    : plan.link(region.name(), each.name()).gatewayUrl();
            lines.add("meridian.regions." + each.name() + ".gateway-url=" + gatewayUrl);
            if (plan.withReplicator()) {
                lines.add("meridian.regions." + each.name() + ".replicator-url=" + each.replicatorUrl());
            }
        }
        lines.add("quarkus.redis.hosts=" + redisUri);
        lines.add("kafka.bootstrap.servers=" + kafkaBootstrapServers);
        lines.add("meridian.internal-secret=" + plan.internalSecret());
        if (app == AppKind.REPLICATOR && plan.kafkaClientTimeoutMillis() > 0) {
            lines.add("kafka.default.api.timeout.ms=" + plan.kafkaClientTimeoutMillis());
            lines.add("kafka.request.timeout.ms=" + plan.kafkaClientTimeoutMillis());
        }
        if (app == AppKind.REPLICATOR && !plan.links().isEmpty()) {
            // As in production, where each region has its own Kafka: the default channel reads this region's own
            // topic only, and every other region's topic is read through the link from that region (a listener of
            // the one local broker advertised on the link's proxy).
            lines.add("meridian.events.topic-pattern=meridian\\\\." + region.name() + "\\\\.events");
            for (RegionPlan source : plan.regions()) {
                if (!source.name().equals(region.name())) {
                    String prefix = "meridian.sources." + source.name();
                    lines.add(prefix + ".bootstrap-servers="
                            + plan.link(source.name(), region.name()).bootstrapServers());
                    // A group per source, as on separate clusters: one group on the shared broker would hold every
                    // source's consumer, and a crash or a cut of one would stop the others for a rebalance.
                    lines.add(prefix + ".group-id=meridian-replicator-" + region.name() + "-from-" + source.name());
                }
            }
        }
        if (app == AppKind.GATEWAY) {
            // What ./meridian bench hotkey compares against: a namespace like tweets without the near cache.
            lines.add("meridian.namespaces." + LocalNamespaces.WITHOUT_NEAR_CACHE + ".near-cache=false");
            // Locally a region outage is a drill of seconds: presence fails over after 2 s, not the default 10 s.
            lines.add("meridian.namespaces." + LocalNamespaces.FAILOVER + ".failover-after=2s");
            // A namespace that keeps taking writes while Kafka is away (kept in the region's event buffer and
            // relayed when Kafka returns), next to tweets and users, which refuse them (the default policy).
            lines.add("meridian.namespaces." + LocalNamespaces.BUFFERED + ".kafka-outage-policy=buffer");
        }
        if (originUrl != null && app == AppKind.GATEWAY) {
            // The default namespaces read their misses through from the demo origin (see DemoOrigin).
            for (String namespace : LocalNamespaces.DEMO_ORIGIN) {
                lines.add("meridian.namespaces." + namespace + ".origin.url=" + originUrl + "/" + namespace + "/{key}");
                lines.add(
                        "meridian.namespaces." + namespace + ".origin.batch-url=" + originUrl + "/batch/" + namespace);
                lines.add("meridian.namespaces." + namespace + ".origin.stale-if-error=5m");
            }
        }
        return String.join("\n", lines) + "\n";
    }
}
