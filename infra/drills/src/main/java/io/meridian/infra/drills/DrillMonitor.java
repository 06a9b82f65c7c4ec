package io.meridian.infra.drills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches every region's {@code /v1/status} four times a second during a drill: whether its gateway answers, its
 * degradation level, and the largest replication lag it reports, so the report can say when the failure was visible
 * (detected) and when every region was back to normal (recovered).
 */
final class DrillMonitor {

    /** One look at one region. */
    record Sample(long atMillis, String region, boolean reachable, double maxLagSeconds, String level) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> gateways;
    private final long startedAt;
    private final List<Sample> samples = new ArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofMillis(500))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private Thread thread;

    DrillMonitor(Map<String, String> gateways, long startedAt) {
        this.gateways = gateways;
        this.startedAt = startedAt;
    }

    void start() {
        thread = new Thread(this::watch, "drill-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    /** The samples taken so far. */
    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    List<Sample> stop() throws InterruptedException {
        stopping.set(true);
        thread.join(5_000);
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    private void watch() {
        while (!stopping.get()) {
            for (Map.Entry<String, String> region : gateways.entrySet()) {
                Sample sample = look(region.getKey(), region.getValue());
                synchronized (samples) {
                    samples.add(sample);
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Sample look(String region, String gateway) {
        long at = System.currentTimeMillis() - startedAt;
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(gateway + "/v1/status"))
                            .timeout(Duration.ofSeconds(1))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return new Sample(at, region, false, Double.NaN, null);
            }
            JsonNode status = JSON.readTree(response.body());
            double lag = 0;
            for (JsonNode source : status.path("replication")) {
                // A source whose watermark is unknown counts as lagging: nothing has been applied from it yet.
                lag = Math.max(
                        lag, source.has("lagSeconds") ? source.get("lagSeconds").asDouble() : 999);
            }
            return new Sample(at, region, true, lag, status.path("level").asText(null));
        } catch (Exception e) {
            return new Sample(at, region, false, Double.NaN, null);
        }
    }
}
