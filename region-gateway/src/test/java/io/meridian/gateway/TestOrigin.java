package io.meridian.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP origin on loopback for read-through tests: {@code GET /items/<key>} answers the value set for the key
 * (404 when none, 500 while the key is marked failing), after an optional delay, and counts its requests per key.
 * Started once for the module's tests; it adds the namespaces {@code catalog} (default TTL 1 h), and
 * {@code catalog-stale} (stale-if-error 1 min) and {@code catalog-strict} (no stale answers) with a 1 s default TTL,
 * all homed here; {@code catalog-swr} (1 s TTL, stale-while-revalidate 1 min) and {@code catalog-early} (1 h TTL, an
 * XFetch β so large that every read refreshes), and {@code catalog-batch} (1 h TTL), whose origin also answers
 * {@code POST /batch} with {@code {"keys":[...]}} for MGET (failing as a whole when one of its keys is marked failing);
 * {@code catalog-wt} (write-through: {@code PUT/DELETE /write/<key>} change the origin's values, answered 503 for keys
 * in {@link #WRITES_FAILING} and 422 for the body {@link #REFUSED_BODY}).
 */
public class TestOrigin implements QuarkusTestResourceLifecycleManager {

    static final Map<String, String> VALUES = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    static final Set<String> FAILING = ConcurrentHashMap.newKeySet();
    static volatile long delayMillis;
    /** Write-through: keys whose writes the origin answers 503, and bodies it refuses with 422. */
    static final Set<String> WRITES_FAILING = ConcurrentHashMap.newKeySet();

    static final String REFUSED_BODY = "refuse me";

    /** Batch calls, and the keys each asked for. */
    static final List<List<String>> BATCHES = new CopyOnWriteArrayList<>();

    private static final ObjectMapper JSON = new ObjectMapper();

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
        server.createContext("/batch", this::answerBatch);
        server.createContext("/write/", this::answerWrite);
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        String url = base + "/items/{key}";
        Map<String, String> config = new HashMap<>();
        namespace(config, "catalog", url, "1h", Map.of("origin.timeout", "1s", "origin.lease-ttl", "1s"));
        namespace(config, "catalog-stale", url, "1s", Map.of("origin.timeout", "500ms", "origin.stale-if-error", "1m"));
        namespace(
                config,
                "catalog-swr",
                url,
                "1s",
                Map.of("origin.stale-while-revalidate", "1m", "origin.early-refresh-beta", "0"));
        namespace(config, "catalog-early", url, "1h", Map.of("origin.early-refresh-beta", "1000000000"));
        namespace(config, "catalog-strict", url, "1s", Map.of("origin.timeout", "500ms"));
        namespace(config, "catalog-batch", url, "1h", Map.of("origin.batch-url", base + "/batch"));
        namespace(
                config,
                "catalog-wt",
                url,
                "1h",
                Map.of("write-mode", "write-through", "origin.write-url", base + "/write/{key}"));
        return config;
    }

    /**
     * A namespace homed here, read through from this origin, with no TTL jitter and a breaker that never opens in a
     * test, plus {@code extra} settings of its own.
     */
    private static void namespace(
            Map<String, String> config, String name, String url, String defaultTtl, Map<String, String> extra) {
        String prefix = "meridian.namespaces." + name + ".";
        config.put(prefix + "placement", "fixed:us-east");
        config.put(prefix + "default-ttl", defaultTtl);
        config.put(prefix + "ttl-jitter", "0");
        config.put(prefix + "origin.url", url);
        config.put(prefix + "origin.breaker-failures", "1000");
        extra.forEach((key, value) -> config.put(prefix + key, value));
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

    /** Write-through: PUT stores the body as the key's value, DELETE removes it. */
    private void answerWrite(HttpExchange exchange) throws IOException {
        String key = URLDecoder.decode(
                exchange.getRequestURI().getRawPath().substring("/write/".length()), StandardCharsets.UTF_8);
        byte[] body = exchange.getRequestBody().readAllBytes();
        int status;
        if (WRITES_FAILING.contains(key)) {
            status = 503;
        } else if (new String(body, StandardCharsets.UTF_8).equals(REFUSED_BODY)) {
            status = 422;
        } else {
            if (exchange.getRequestMethod().equals("DELETE")) {
                VALUES.remove(key);
            } else {
                VALUES.put(key, new String(body, StandardCharsets.UTF_8));
            }
            status = 204;
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private void answerBatch(HttpExchange exchange) throws IOException {
        List<String> keys = new ArrayList<>();
        JSON.readTree(exchange.getRequestBody()).get("keys").forEach(key -> keys.add(key.asText()));
        BATCHES.add(List.copyOf(keys));
        ObjectNode values = JSON.createObjectNode();
        boolean failing = false;
        for (String key : keys) {
            failing |= FAILING.contains(key);
            String value = VALUES.get(key);
            if (value != null) {
                values.putObject(key)
                        .put("value", value)
                        .put("encoding", "utf-8")
                        .put("contentType", "text/plain");
            }
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.set("values", values);
        byte[] body = JSON.writeValueAsBytes(answer);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(failing ? 500 : 200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
