package io.meridian.infra.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.infra.cluster.AppKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan of a local cluster (ports, links, secret) and the settings file each app gets from it. */
class ClusterPlanTest {

    @Test
    void appSettings_listEveryRegionAndThisRegionsServers() {
        ClusterPlan plan = ClusterPlan.of(List.of("us-east", "eu-west"), true);
        ClusterPlan.RegionPlan euWest = plan.regions().get(1);

        String properties = AppSettings.properties(
                plan, euWest, AppKind.GATEWAY, "redis://127.0.0.1:7000", "127.0.0.1:9092", "http://127.0.0.1:7100");

        assertThat(properties)
                .contains("quarkus.http.host=127.0.0.1\n")
                .contains("quarkus.http.port=" + euWest.gatewayPort() + "\n")
                .contains("meridian.region=eu-west\n")
                .doesNotContain("meridian.node-id=")
                .contains("meridian.regions.us-east.gateway-url="
                        + plan.link("eu-west", "us-east").gatewayUrl() + "\n")
                .contains("meridian.regions.eu-west.gateway-url=" + euWest.gatewayUrl() + "\n")
                .contains("meridian.regions.eu-west.replicator-url=" + euWest.replicatorUrl() + "\n")
                .contains("quarkus.redis.hosts=redis://127.0.0.1:7000\n")
                .contains("kafka.bootstrap.servers=127.0.0.1:9092\n")
                .contains("meridian.internal-secret=" + plan.internalSecret() + "\n")
                .contains("meridian.namespaces.users.origin.url=http://127.0.0.1:7100/users/{key}\n")
                .contains("meridian.namespaces.tweets.origin.url=http://127.0.0.1:7100/tweets/{key}\n");
        assertThat(plan.internalSecret()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(AppSettings.properties(
                        plan, euWest, AppKind.REPLICATOR, "redis://127.0.0.1:7000", "127.0.0.1:9092", null))
                .doesNotContain("origin");
    }

    @Test
    void appSettings_replicatorReadsItsOwnTopicDirectly_andOtherRegionsThroughTheirLinks() {
        ClusterPlan plan = ClusterPlan.of(List.of("us-east", "eu-west", "ap-south"), true);
        ClusterPlan.RegionPlan euWest = plan.regions().get(1);

        String properties = AppSettings.properties(
                plan, euWest, AppKind.REPLICATOR, "redis://127.0.0.1:7000", "127.0.0.1:9092", null);

        assertThat(properties)
                .contains("kafka.bootstrap.servers=127.0.0.1:9092\n")
                .contains("meridian.events.topic-pattern=meridian\\\\.eu-west\\\\.events\n")
                .contains("meridian.sources.us-east.bootstrap-servers="
                        + plan.link("us-east", "eu-west").bootstrapServers() + "\n")
                .contains("meridian.sources.ap-south.bootstrap-servers="
                        + plan.link("ap-south", "eu-west").bootstrapServers() + "\n")
                .contains("meridian.sources.us-east.group-id=meridian-replicator-eu-west-from-us-east\n")
                .doesNotContain("meridian.sources.eu-west.");
    }

    @Test
    void clusterPlan_links_onePerOrderedPairOnDistinctPorts() {
        ClusterPlan plan = ClusterPlan.of(List.of("a", "b", "c"), true);

        assertThat(plan.links()).hasSize(6);
        assertThat(plan.links().stream().map(l -> l.from() + ">" + l.to()).distinct())
                .hasSize(6);
        List<Integer> ports = plan.links().stream()
                .flatMap(l -> List.of(l.httpPort(), l.kafkaPort(), l.brokerPort()).stream())
                .distinct()
                .toList();
        assertThat(ports).hasSize(18).doesNotContain(plan.linksControlPort());
        assertThat(ClusterPlan.of(List.of("solo"), true).links()).isEmpty();
    }

    @Test
    void clusterPlan_badOrDuplicateNames_areRefused() {
        assertThatThrownBy(() -> ClusterPlan.of(List.of("us-east", "us-east"), false))
                .hasMessageContaining("unique");
        assertThatThrownBy(() -> ClusterPlan.of(List.of("US East"), false)).hasMessageContaining("bad region name");
    }

    @Test
    void regionPlan_ports_areDistinct() {
        ClusterPlan plan = ClusterPlan.of(List.of("a", "b"), true);
        List<Integer> ports = plan.regions().stream()
                .flatMap(r -> List.of(r.gatewayPort(), r.replicatorPort()).stream())
                .distinct()
                .toList();
        assertThat(ports).hasSize(4);
    }
}
