package io.meridian.infra.links;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The network between the local regions: one {@link LinkProxy} per region pair and kind of traffic, and a control
 * interface on loopback through which drills cut, delay and heal them. Run by {@code ./meridian up} as its own
 * process ({@code java -jar infra/links/target/meridian-links.jar <control-port> <links.json>}), so it outlives a
 * detached launcher and {@code ./meridian down} stops it like any other recorded process. Drills reach the control
 * interface through {@link LinksControl}.
 *
 * <ul>
 *   <li>{@code GET /links}: every link with its condition ({@code open}, {@code cut}, {@code delayed N ms}) and open
 *       connections;
 *   <li>{@code POST /links/cut?from=A&to=B}, {@code POST /links/delay?from=A&to=B&ms=N}, {@code POST
 *       /links/heal?from=A&to=B}: both kinds of traffic from A to B (without {@code from} and {@code to}: every link);
 *       the answer is the new state, as {@code GET /links}; 404 when no link matches.
 * </ul>
 */
public final class RegionLinks implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The file the launcher writes: every link to run. */
    public record Spec(List<LinkSpec> links) {

        /** Writes this spec as {@code <links.json>}, the second argument of {@link RegionLinks#main}. */
        public void write(Path file) throws IOException {
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writeValue(file.toFile(), this);
        }
    }

    /** One link as {@code GET /links} reports it. */
    public record LinkStatus(String from, String to, String kind, int port, String condition, int connections) {}

    /** The answer of every control request. */
    public record Status(List<LinkStatus> links) {}

    private final List<Running> links;
    private final HttpServer control;

    private record Running(LinkSpec spec, LinkProxy proxy) {}

    private RegionLinks(List<Running> links, HttpServer control) {
        this.links = links;
        this.control = control;
    }

    /** Starts every link of {@code spec} and the control interface on {@code 127.0.0.1:controlPort}. */
    static RegionLinks start(Spec spec, int controlPort) throws IOException {
        List<Running> links = new ArrayList<>();
        try {
            for (LinkSpec link : spec.links()) {
                links.add(new Running(link, LinkProxy.start(link.name(), link.port(), link.target())));
            }
            HttpServer control =
                    HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), controlPort), 16);
            RegionLinks running = new RegionLinks(links, control);
            control.createContext("/links", running::handle);
            control.setExecutor(Executors.newFixedThreadPool(2));
            control.start();
            return running;
        } catch (IOException | RuntimeException e) {
            links.forEach(link -> link.proxy().close());
            throw e;
        }
    }

    int controlPort() {
        return control.getAddress().getPort();
    }

    Status status() {
        return new Status(links.stream()
                .map(link -> new LinkStatus(
                        link.spec().from(),
                        link.spec().to(),
                        link.spec().kind(),
                        link.proxy().port(),
                        link.proxy().condition().toString(),
                        link.proxy().connections()))
                .toList());
    }

    @Override
    public void close() {
        control.stop(0);
        links.forEach(link -> link.proxy().close());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("/links")) {
                answer(exchange, 200, status());
                return;
            }
            Consumer<LinkProxy> action = method.equals("POST") ? action(path, query) : null;
            if (action == null) {
                answer(exchange, 404, Map.of("error", method + " " + path + " is not a link operation"));
                return;
            }
            List<Running> chosen = links.stream()
                    .filter(link ->
                            !query.containsKey("from") || link.spec().from().equals(query.get("from")))
                    .filter(link -> !query.containsKey("to") || link.spec().to().equals(query.get("to")))
                    .toList();
            if (chosen.isEmpty()) {
                answer(exchange, 404, Map.of("error", "no link from " + query.get("from") + " to " + query.get("to")));
                return;
            }
            chosen.forEach(link -> action.accept(link.proxy()));
            answer(exchange, 200, status());
        } catch (IllegalArgumentException e) {
            answer(exchange, 400, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private static Consumer<LinkProxy> action(String path, Map<String, String> query) {
        return switch (path) {
            case "/links/cut" -> LinkProxy::cut;
            case "/links/heal" -> LinkProxy::heal;
            case "/links/delay" -> {
                String ms = query.get("ms");
                if (ms == null || !ms.matches("\\d{1,6}")) {
                    throw new IllegalArgumentException("delay needs ms=<0..999999>");
                }
                Duration delay = Duration.ofMillis(Long.parseLong(ms));
                yield proxy -> proxy.delay(delay);
            }
            default -> null;
        };
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                query.put(
                        URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** {@code RegionLinks <control-port> <links.json>}: runs until the process is stopped. */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: RegionLinks <control-port> <links.json>");
            System.exit(2);
        }
        Spec spec = JSON.readValue(Path.of(args[1]).toFile(), Spec.class);
        RegionLinks links = start(spec, Integer.parseInt(args[0]));
        System.out.println(
                "region links: " + spec.links().size() + " proxies, control on 127.0.0.1:" + links.controlPort());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            links.close();
                            stopped.countDown();
                        },
                        "region-links-stop"));
        stopped.await();
    }
}
