package io.meridian.replicator.warm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.redis.CoherenceScripts;
import io.meridian.coherence.redis.RedisKeys;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.version.Version;
import io.meridian.replicator.apply.RegionApplier;
import io.meridian.replicator.config.ReplicatorConfig;
import io.meridian.replicator.gaps.SourceGenerations;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Warms the keys other regions found hot: for each key of a {@code meridian.<region>.hotkeys} announcement that is
 * homed neither here nor nowhere known, the value is read from its home region (the internal API, as a gateway's fill
 * does) and stored with set-if-newer under the home's current generation, so it can never replace a newer copy or
 * tombstone. The region's gateways then answer it locally ({@code Meridian-Source: local}) before their own readers
 * miss it. Best effort: a key that cannot be fetched is left to the normal fill on the first read.
 */
@ApplicationScoped
class HotKeyWarmer {

    private static final Logger LOG = Logger.getLogger(HotKeyWarmer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final ReplicatorConfig config;
    private final CoherenceScripts scripts;
    private final WallClock clock;
    private final SourceGenerations generations;
    private final RegionApplier applier;
    private final MeterRegistry metrics;
    private final RegionDegradation degradation;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    public HotKeyWarmer(
            ReplicatorConfig config,
            CoherenceScripts scripts,
            WallClock clock,
            SourceGenerations generations,
            RegionApplier applier,
            RegionDegradation degradation,
            MeterRegistry metrics) {
        this.degradation = degradation;
        this.config = config;
        this.scripts = scripts;
        this.clock = clock;
        this.generations = generations;
        this.applier = applier;
        this.metrics = metrics;
    }

    @Incoming("hotkeys")
    public Uni<Void> warm(String announcement) {
        JsonNode message;
        try {
            message = JSON.readTree(announcement);
        } catch (Exception e) {
            LOG.warnf("skipping a malformed hot-key announcement: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (config.region().equals(message.path("region").asText())) {
            return Uni.createFrom().voidItem();
        }
        if (degradation.degraded()) {
            count("skipped_degraded");
            return Uni.createFrom().voidItem();
        }
        List<Uni<Boolean>> fills = new ArrayList<>();
        for (JsonNode hot : message.path("keys")) {
            String home = hot.path("home").asText("");
            String namespace = hot.path("namespace").asText("");
            String key = hot.path("key").asText("");
            if (home.isEmpty() || namespace.isEmpty() || key.isEmpty() || home.equals(config.region())) {
                continue;
            }
            fills.add(fill(home, namespace, key));
        }
        if (fills.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(fills).andCollectFailures().replaceWithVoid();
    }

    private Uni<Boolean> fill(String home, String namespace, String key) {
        Optional<String> base =
                Optional.ofNullable(config.regions().get(home)).flatMap(ReplicatorConfig.RegionConfig::gatewayUrl);
        if (base.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        URI uri = URI.create(base.get() + "/internal/v1/namespaces/" + namespace + "/keys/"
                + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20"));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header("Meridian-Internal-Secret", config.internalSecret().orElse(""))
                .GET()
                .build();
        return Uni.createFrom()
                .completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()))
                .chain(response -> store(home, namespace, key, response))
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.debugf("cannot warm %s/%s from %s: %s", namespace, key, home, failure.getMessage());
                    count("failed");
                    return false;
                });
    }

    private Uni<Boolean> store(String home, String namespace, String key, HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            count("absent");
            return Uni.createFrom().item(false);
        }
        Optional<String> etag = response.headers().firstValue("ETag");
        Optional<String> ttl = response.headers().firstValue("Meridian-Remaining-Ttl-Ms");
        if (etag.isEmpty() || ttl.isEmpty()) {
            count("failed");
            return Uni.createFrom().item(false);
        }
        long remaining = Math.max(1, Long.parseLong(ttl.get()));
        String type = response.headers().firstValue("Content-Type").orElse("");
        StoredValue value = StoredValue.value(
                Version.fromHex(etag.get().replace("\"", "")), type, response.body(), clock.millis() + remaining);
        return generations
                .current(home)
                .chain(generation -> Uni.createFrom()
                        .completionStage(
                                () -> scripts.setIfNewer(RedisKeys.value(namespace, key, generation), value, remaining)
                                        .toCompletionStage()))
                .invoke(stored -> {
                    count(stored ? "warmed" : "current");
                    if (stored) {
                        applier.announce(List.of(namespace + "/" + key));
                    }
                });
    }

    private void count(String outcome) {
        metrics.counter("meridian.hot.keys.warmed", "outcome", outcome).increment();
    }
}
