package io.meridian.infra.drills;

import io.meridian.coherence.placement.HomeRegionResolver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Proof that a region's keys moved: every 200 ms, writes a key whose natural home is {@code region} through another
 * region, until one is acknowledged by a home other than {@code region}, or until stopped. Loopback only, bounded.
 */
final class FailoverProbe {

    private final String namespace;
    private final String region;
    private final String through;
    private final String key;
    private final AtomicLong firstMoved = new AtomicLong(-1);
    private final AtomicReference<String> movedTo = new AtomicReference<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();
    private volatile boolean stopping;
    private Thread thread;
    private long startedAt;

    FailoverProbe(DrillCluster cluster, String namespace, String region) {
        this.namespace = namespace;
        this.region = region;
        List<String> names = cluster.names();
        String other =
                names.stream().filter(each -> !each.equals(region)).findFirst().orElseThrow();
        this.through = cluster.region(other).gateway();
        HomeRegionResolver homes = new HomeRegionResolver(names, owner -> Optional.empty());
        String run = Long.toHexString(System.nanoTime());
        int i = 0;
        while (!homes.rendezvous("probe-" + run + "-" + i).equals(region)) {
            i++;
        }
        this.key = "probe-" + run + "-" + i;
    }

    /** @param since wall-clock ms the figure counts from (the fault's injection) */
    void start(long since) {
        startedAt = since;
        thread = new Thread(this::run, "drill-failover-probe");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        stopping = true;
        if (thread != null) {
            thread.join(5_000);
        }
    }

    /** @return ms from the {@code since} of {@link #start} until a write of the region's key was acknowledged elsewhere, or null */
    Long movedAfterMillis() {
        long first = firstMoved.get();
        return first < 0 ? null : first - startedAt;
    }

    /** @return the region that acknowledged the first moved write, or null */
    String movedTo() {
        return movedTo.get();
    }

    /** @return the violation when no write of the region's keys was acknowledged elsewhere */
    Optional<String> violation(String when) {
        return movedTo.get() != null
                ? Optional.empty()
                : Optional.of("no write of a key homed in " + region + " (" + namespace + "/" + key
                        + ") was acknowledged by another region " + when);
    }

    private void run() {
        while (!stopping && movedTo.get() == null) {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create(through + "/v1/namespaces/" + namespace + "/keys/" + key + "?ttl=600s"))
                    .timeout(Duration.ofSeconds(3))
                    .header("Content-Type", "text/plain")
                    .header("Meridian-Priority", "1")
                    .PUT(HttpRequest.BodyPublishers.ofString("probe"))
                    .build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                String home = response.headers().firstValue("Meridian-Home").orElse(null);
                if (response.statusCode() == 200 && home != null && !home.equals(region)) {
                    firstMoved.compareAndSet(-1, System.currentTimeMillis());
                    movedTo.set(home);
                    return;
                }
            } catch (java.io.IOException e) {
                // the next attempt decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
