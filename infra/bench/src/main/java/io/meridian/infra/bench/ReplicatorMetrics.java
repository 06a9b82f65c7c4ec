package io.meridian.infra.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many events of a source region a replicator has applied, read from its {@code /q/metrics}
 * ({@code meridian_replicator_events_total{outcome, source}}). Compared with the rate the home region acknowledged,
 * it tells whether the other region keeps up or builds a backlog that every later write waits behind.
 */
final class ReplicatorMetrics {

    private static final Pattern EVENTS = Pattern.compile("^meridian_replicator_events_total\\{([^}]*)\\}\\s+(\\S+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI metrics;
    private final String source;

    /** @param replicatorUrl the replicator's base URL; {@code source} the home region whose events are counted */
    public ReplicatorMetrics(String replicatorUrl, String source) {
        this.metrics = URI.create(replicatorUrl + "/q/metrics");
        this.source = source;
    }

    /** Events of the source applied so far (stored or found superseded), or empty when the metrics cannot be read. */
    public OptionalLong applied() {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(metrics).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? applied(response.body(), source) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    /** Events per second between two readings {@code seconds} apart, when both were read. */
    public static OptionalDouble rate(OptionalLong start, OptionalLong end, double seconds) {
        return start.isPresent() && end.isPresent()
                ? OptionalDouble.of((end.getAsLong() - start.getAsLong()) / seconds)
                : OptionalDouble.empty();
    }

    /**
     * Sums {@code meridian_replicator_events_total} of {@code source} with outcome {@code applied} or {@code superseded}
     * (heartbeats and dead letters are not writes) in a Prometheus text exposition.
     */
    static OptionalLong applied(String exposition, String source) {
        boolean found = false;
        double total = 0;
        for (String line : exposition.split("\n")) {
            Matcher m = EVENTS.matcher(line);
            if (!m.find()) {
                continue;
            }
            String labels = m.group(1);
            if (labels.contains("source=\"" + source + "\"")
                    && (labels.contains("outcome=\"applied\"") || labels.contains("outcome=\"superseded\""))) {
                total += Double.parseDouble(m.group(2));
                found = true;
            }
        }
        return found ? OptionalLong.of((long) total) : OptionalLong.empty();
    }
}
