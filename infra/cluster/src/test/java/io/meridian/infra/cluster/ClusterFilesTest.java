package io.meridian.infra.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files that name a running cluster: cluster.json (a user contract) and pids.json. */
class ClusterFilesTest {

    @TempDir
    Path dir;

    @Test
    void clusterDescription_write_hasContractShape() throws Exception {
        ClusterDescription description = new ClusterDescription(
                "127.0.0.1:9092",
                List.of(new ClusterDescription.Region(
                        "us-east", "http://127.0.0.1:1", "http://127.0.0.1:2", List.of("127.0.0.1:3"))),
                null,
                null,
                null);
        Path file = dir.resolve("cluster.json");

        description.write(file);

        JsonNode json = ClusterDescription.JSON.readTree(file.toFile());
        assertThat(json.path("kafka").asText()).isEqualTo("127.0.0.1:9092");
        assertThat(json.has("apiKeys")).isFalse();
        assertThat(json.has("gateways"))
                .as("a helper, not part of the contract")
                .isFalse();
        JsonNode region = json.path("regions").get(0);
        assertThat(region.path("name").asText()).isEqualTo("us-east");
        assertThat(region.path("gateway").asText()).isEqualTo("http://127.0.0.1:1");
        assertThat(region.path("replicator").asText()).isEqualTo("http://127.0.0.1:2");
        assertThat(region.path("redis").get(0).asText()).isEqualTo("127.0.0.1:3");
        assertThat(ClusterDescription.read(file)).contains(description);
        assertThat(description.gateways()).containsExactly(java.util.Map.entry("us-east", "http://127.0.0.1:1"));
    }

    @Test
    void processLedger_recordedProcess_isAliveUntilItsStartTimeDiffers() {
        Path file = dir.resolve("pids.json");
        ProcessLedger ledger = ProcessLedger.create(file);

        ledger.record("launcher", ProcessHandle.current());

        ProcessLedger read = ProcessLedger.read(file).orElseThrow();
        assertThat(read.alive()).extracting(ProcessLedger.Entry::name).containsExactly("launcher");
        ProcessLedger.Entry reused =
                new ProcessLedger.Entry("old", ProcessHandle.current().pid(), "2001-01-01T00:00:00Z");
        assertThat(reused.liveHandle()).isEmpty();
    }
}
