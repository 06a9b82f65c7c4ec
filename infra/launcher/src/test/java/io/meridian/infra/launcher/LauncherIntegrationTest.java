package io.meridian.infra.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.infra.cluster.AppKind;
import io.meridian.infra.cluster.ClusterDescription;
import io.meridian.infra.cluster.ProcessLedger;
import io.meridian.infra.cluster.Workspace;
import io.meridian.infra.servers.RepositoryRoot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the launcher end to end, as a user would: {@code up -d} two regions from the gateway the reactor packaged
 * before this module, a PUT and a GET through the URL in {@code cluster.json}, {@code status}, {@code down}, and
 * then no recorded process may be left. Runs in a temporary home so it never meets a developer's cluster.
 */
class LauncherIntegrationTest {

    private static final List<String> REGIONS = List.of("us-east", "eu-west");

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    @Test
    void upPutGetStatusDown_twoRegions_leavesNoProcessBehind() throws Exception {
        Workspace workspace = new Workspace(RepositoryRoot.require(), home);
        assertThat(workspace.appJar(AppKind.GATEWAY))
                .as("the gateway jar, packaged by the reactor before this module")
                .isRegularFile();

        CliRun up = CliRun.of(workspace, "up", "-d", "--regions", String.join(",", REGIONS));
        List<ProcessLedger.Entry> recorded = ProcessLedger.read(workspace.processFile())
                .map(ProcessLedger::entries)
                .orElse(List.of());
        try {
            assertThat(up.exitCode()).as(up.output()).isZero();
            ClusterDescription cluster =
                    ClusterDescription.read(workspace.clusterFile()).orElseThrow();
            assertThat(cluster.regions())
                    .extracting(ClusterDescription.Region::name)
                    .isEqualTo(REGIONS);
            cluster.regions().forEach(region -> assertThat(up.out()).contains(region.gateway()));

            String gateway = cluster.regions().get(0).gateway();
            String key = "launcher-it-" + UUID.randomUUID();
            // A cluster that has just become ready may answer its very first write 503 + Retry-After (cold JVMs,
            // the first produce and the first call between regions); a client retries, and so does this test.
            HttpResponse<String> put = null;
            long deadline = System.currentTimeMillis() + 30_000;
            do {
                if (put != null) {
                    Thread.sleep(1_000);
                }
                put = send(HttpRequest.newBuilder(keyUri(gateway, key, "?ttl=60s"))
                        .header("Content-Type", "text/plain")
                        .PUT(HttpRequest.BodyPublishers.ofString("hello")));
            } while (put.statusCode() == 503 && System.currentTimeMillis() < deadline);
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            HttpResponse<String> get =
                    send(HttpRequest.newBuilder(keyUri(gateway, key, "")).GET());
            assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
            assertThat(get.body()).isEqualTo("hello");
            assertThat(get.headers().firstValue("ETag")).isPresent();

            CliRun second = CliRun.of(workspace, "up", "-d", "--regions", "us-east");
            assertThat(second.exitCode()).isEqualTo(UpCommand.REFUSED);
            assertThat(second.err()).contains("already running");

            CliRun status = CliRun.of(workspace, "status");
            assertThat(status.exitCode()).as(status.output()).isZero();
            REGIONS.forEach(region -> assertThat(status.out()).contains(region));
            assertThat(status.out()).contains("UP").doesNotContain("DOWN");
        } finally {
            CliRun down = CliRun.of(workspace, "down");
            assertThat(down.exitCode()).as(down.output()).isZero();
        }
        assertThat(recorded).isNotEmpty();
        assertThat(recorded)
                .allSatisfy(entry -> assertThat(ProcessHandle.of(entry.pid()).filter(ProcessHandle::isAlive))
                        .as("%s (pid %d)", entry.name(), entry.pid())
                        .isEmpty());
        assertThat(workspace.clusterFile()).doesNotExist();
        assertThat(workspace.processFile()).doesNotExist();
    }

    private static URI keyUri(String gateway, String key, String query) {
        return URI.create(gateway + "/v1/namespaces/tweets/keys/" + key + query);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
