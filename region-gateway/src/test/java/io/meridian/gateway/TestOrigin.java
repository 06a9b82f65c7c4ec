package io.meridian.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP origin on loopback for read-through tests: {@code GET /items/<key>} answers the value set for the key
 * (404 when none, 500 while the key is marked failing), after an optional delay, and counts its requests per key.
 * Started once for the module's tests; it adds the namespaces {@code catalog} (default TTL 1 h), and
 * {@code catalog-stale} (stale-if-error 1 min) and {@code catalog-strict} (no stale answers) with a 1 s default TTL,
 * all homed here; {@code catalog-swr} (1 s TTL, stale-while-revalidate 1 min) and {@code catalog-early} (1 h TTL, an
 * XFetch β so large that every read refreshes).
 */
public class TestOrigin implements QuarkusTestResourceLifecycleManager {

    static final Map<String, String> VALUES = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    static final Set<String> FAILING = ConcurrentHashMap.newKeySet();
    static volatile long delayMillis;

    private HttpServer server;

    static int calls(String key) {
        AtomicInteger count = CALLS.get(key);
        return count == null ? 0 : count.get();
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/items/", this::answer);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/items/{key}";
        return Map.ofEntries(
                Map.entry("meridian.namespaces.catalog.placement", "fixed:us-east"),
                Map.entry("meridian.namespaces.catalog.default-ttl", "1h"),
                Map.entry("meridian.namespaces.catalog.origin.url", url),
                Map.entry("meridian.namespaces.catalog.origin.timeout", "1s"),
                Map.entry("meridian.namespaces.catalog.origin.lease-ttl", "1s"),
                Map.entry("meridian.namespaces.catalog.origin.breaker-failures", "1000"),
                Map.entry("meridian.namespaces.catalog-stale.placement", "fixed:us-east"),
                Map.entry("meridian.namespaces.catalog-stale.default-ttl", "1s"),
                Map.entry("meridian.namespaces.catalog-stale.ttl-jitter", "0"),
                Map.entry("meridian.namespaces.catalog-stale.origin.url", url),
                Map.entry("meridian.namespaces.catalog-stale.origin.timeout", "500ms"),
                Map.entry("meridian.namespaces.catalog-stale.origin.stale-if-error", "1m"),
                Map.entry("meridian.namespaces.catalog-stale.origin.breaker-failures", "1000"),
                Map.entry("meridian.namespaces.catalog-swr.placement", "fixed:us-east"),
                Map.entry("meridian.namespaces.catalog-swr.default-ttl", "1s"),
                Map.entry("meridian.namespaces.catalog-swr.ttl-jitter", "0"),
                Map.entry("meridian.namespaces.catalog-swr.origin.url", url),
                Map.entry("meridian.namespaces.catalog-swr.origin.stale-while-revalidate", "1m"),
                Map.entry("meridian.namespaces.catalog-swr.origin.early-refresh-beta", "0"),
                Map.entry("meridian.namespaces.catalog-early.placement", "fixed:us-east"),
                Map.entry("meridian.namespaces.catalog-early.default-ttl", "1h"),
                Map.entry("meridian.namespaces.catalog-early.origin.url", url),
                Map.entry("meridian.namespaces.catalog-early.origin.early-refresh-beta", "1000000000"),
                Map.entry("meridian.namespaces.catalog-strict.placement", "fixed:us-east"),
                Map.entry("meridian.namespaces.catalog-strict.default-ttl", "1s"),
                Map.entry("meridian.namespaces.catalog-strict.ttl-jitter", "0"),
                Map.entry("meridian.namespaces.catalog-strict.origin.url", url),
                Map.entry("meridian.namespaces.catalog-strict.origin.timeout", "500ms"),
                Map.entry("meridian.namespaces.catalog-strict.origin.breaker-failures", "1000"));
    }

    private void answer(HttpExchange exchange) throws IOException {
        String key = URLDecoder.decode(
                exchange.getRequestURI().getRawPath().substring("/items/".length()), StandardCharsets.UTF_8);
        CALLS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        try {
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String value = VALUES.get(key);
        int status = FAILING.contains(key) ? 500 : value == null ? 404 : 200;
        byte[] body = status == 200 ? value.getBytes(StandardCharsets.UTF_8) : new byte[0];
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
