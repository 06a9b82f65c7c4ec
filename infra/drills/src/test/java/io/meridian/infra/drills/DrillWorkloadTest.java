package io.meridian.infra.drills;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.meridian.coherence.version.Version;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The workload, its final reads and the checker end to end, against a fake gateway on loopback: one linearizable
 * in-memory store behind three "regions", which must give a clean history; and the same store acknowledging some
 * writes it drops, whose loss the checker must find.
 */
class DrillWorkloadTest {

    private static final List<String> REGIONS = List.of("ap-south", "eu-west", "us-east");

    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private List<String> unconverged;

    @AfterEach
    void stop() {
        servers.forEach(server -> server.stop(0));
        executor.shutdownNow();
    }

    @Test
    void workload_againstALinearizableStore_recordsAFullHistoryWithoutViolations() throws Exception {
        List<DrillHistory.Op> ops = run(new FakeGateway(false));

        assertThat(HistoryChecker.check(ops)).isEmpty();
        assertThat(unconverged).isEmpty();
        assertThat(ops).anyMatch(op -> op.kind() == DrillHistory.Kind.DELETE && op.acked());
        assertThat(ops).anyMatch(op -> op.ifMatch() != null && op.acked());
        assertThat(ops).anyMatch(op -> op.ifMatch() != null && op.status() == 412);
        assertThat(ops).anyMatch(op -> op.isRead() && op.tokenSent() == null && op.client() >= 0);
        assertThat(ops).anyMatch(op -> op.isRead() && op.tokenSent() != null && op.tokenReceived() != null);
        assertThat(ops.stream().filter(op -> op.kind() == DrillHistory.Kind.FINAL_READ))
                .hasSize(DrillWorkload.KEYS * REGIONS.size());
        assertThat(ops.stream()
                        .filter(op -> op.isPut() && op.acked())
                        .map(DrillHistory.Op::key)
                        .distinct())
                .hasSizeGreaterThan(DrillWorkload.KEYS / 2);
    }

    @Test
    void workload_againstAStoreThatDropsAcknowledgedWrites_findsThem() throws Exception {
        List<DrillHistory.Op> ops = run(new FakeGateway(true));

        assertThat(HistoryChecker.check(ops)).anyMatch(violation -> violation.rule() == HistoryChecker.Rule.LOST_WRITE);
    }

    private List<DrillHistory.Op> run(FakeGateway gateway) throws Exception {
        // Small answers without Nagle's delay: the final reads are 192 requests in a row.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Map<String, String> gateways = new TreeMap<>();
        for (String region : REGIONS) {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> gateway.handle(exchange));
            server.setExecutor(executor);
            server.start();
            servers.add(server);
            gateways.put(region, "http://127.0.0.1:" + server.getAddress().getPort());
        }
        DrillWorkload workload = new DrillWorkload(DrillWorkload.NAMESPACE, null, gateways, 4, 7);
        workload.start();
        Thread.sleep(2_000);
        DrillHistory history = workload.stop();
        FinalReads.Result finals = FinalReads.converge(workload, REGIONS, history.ops(), Duration.ofSeconds(2));
        history.addAll(finals.reads());
        unconverged = finals.unconverged();
        return history.ops();
    }

    /**
     * The keys API as api.md describes it, over one map: versions in order, {@code If-Match}, tombstones, a session
     * token on every write and on every read that sent one. A lossy one acknowledges every 7th PUT without storing it.
     */
    private static final class FakeGateway {

        private record Stored(String value, String version) {}

        private final Map<String, Stored> store = new ConcurrentHashMap<>();
        private final AtomicLong clock = new AtomicLong();
        private final AtomicLong tokens = new AtomicLong();
        private final boolean lossy;

        FakeGateway(boolean lossy) {
            this.lossy = lossy;
        }

        void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            String key = path.substring(path.lastIndexOf('/') + 1);
            String home = REGIONS.get(Math.floorMod(key.hashCode(), REGIONS.size()));
            String sent = exchange.getRequestHeaders().getFirst("Meridian-Session");
            String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
            byte[] body = exchange.getRequestBody().readAllBytes();
            synchronized (this) {
                Stored current = store.get(key);
                switch (exchange.getRequestMethod()) {
                    case "GET" -> read(exchange, current, home, sent);
                    case "PUT", "DELETE" -> {
                        String live = current == null || current.value() == null ? null : current.version();
                        if (ifMatch != null && !ifMatch.equals("\"" + live + "\"")) {
                            answer(exchange, 412, problem("precondition-failed"), Map.of());
                            return;
                        }
                        String version = new Version(clock.incrementAndGet() << 16, 2).toHex();
                        String value = exchange.getRequestMethod().equals("PUT")
                                ? new String(body, StandardCharsets.UTF_8)
                                : null;
                        if (!(lossy && value != null && clock.get() % 7 == 0)) {
                            store.put(key, new Stored(value, version));
                        }
                        answer(
                                exchange,
                                200,
                                "{\"key\":\"" + key + "\",\"version\":\"" + version + "\"}",
                                Map.of(
                                        "ETag", "\"" + version + "\"",
                                        "Meridian-Home", home,
                                        "Meridian-Session", "t" + tokens.incrementAndGet()));
                    }
                    default -> answer(exchange, 405, problem("method-not-allowed"), Map.of());
                }
            }
        }

        private void read(HttpExchange exchange, Stored current, String home, String sent) throws IOException {
            Map<String, String> headers = new TreeMap<>();
            if (sent != null) {
                headers.put("Meridian-Session", "t" + tokens.incrementAndGet());
            }
            if (current == null || current.value() == null) {
                answer(exchange, 404, problem("key-not-found"), headers);
                return;
            }
            headers.put("ETag", "\"" + current.version() + "\"");
            headers.put("Meridian-Home", home);
            answer(exchange, 200, current.value(), headers);
        }

        private static String problem(String type) {
            return "{\"type\":\"https://meridian.dev/problems/" + type + "\"}";
        }

        private static void answer(HttpExchange exchange, int status, String body, Map<String, String> headers)
                throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.getResponseHeaders()
                    .add("Content-Type", status >= 400 ? "application/problem+json" : "text/plain");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }
    }
}
