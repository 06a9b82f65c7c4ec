package io.meridian.infra.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.infra.cluster.Workspace;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's answers that need no running cluster. */
class MeridianCliTest {

    @TempDir
    Path home;

    private Workspace workspace() {
        return new Workspace(home.resolve("checkout"), home.resolve(".meridian"));
    }

    @Test
    void status_noCluster_saysSoAndFails() {
        CliRun run = CliRun.of(workspace(), "status");

        assertThat(run.exitCode()).isEqualTo(StatusCommand.NO_CLUSTER);
        assertThat(run.out()).contains("no cluster running");
    }

    @Test
    void region_noCluster_saysHowToStartOneAndFails() {
        CliRun run = CliRun.of(workspace(), "region", "drain", "eu-west");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no cluster running").contains("./meridian up -d");
    }

    @Test
    void down_noCluster_saysSoAndSucceeds() {
        CliRun run = CliRun.of(workspace(), "down");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("no cluster running");
    }

    @Test
    void drill_unknownName_listsAvailableAndExits2() {
        CliRun run = CliRun.of(workspace(), "drill", "moon-landing", "--seed", "7");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("no drill named moon-landing; available: kafka-outage, long-partition, overload, partition,"
                        + " planned-failover, poison-event, redis-loss, region-outage, region-outage-failover,"
                        + " replicator-crash, returning-home");
    }

    @Test
    void bench_unknownName_listsAvailableAndExits2() {
        CliRun run = CliRun.of(workspace(), "bench", "nope");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("available: http");
    }

    @Test
    void up_clusterTopology_isRefusedClearly() {
        CliRun run = CliRun.of(workspace(), "up", "--topology", "cluster", "-d");

        assertThat(run.exitCode()).isEqualTo(UpCommand.REFUSED);
        assertThat(run.err()).contains("topology 'cluster' is not supported yet");
    }

    @Test
    void up_missingGatewayJar_failsNamingTheBuild() {
        CliRun run = CliRun.of(workspace(), "up", "-d", "--regions", "us-east");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no gateway jar").contains("./mvnw");
    }

    @Test
    void noCommand_isAUsageError() {
        assertThat(CliRun.of(workspace()).exitCode()).isEqualTo(2);
    }
}
