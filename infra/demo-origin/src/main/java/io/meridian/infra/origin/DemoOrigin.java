package io.meridian.infra.origin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The system of record behind the local cluster's default namespaces: an embedded H2 SQL database with generated
 * {@code users} and {@code tweets} rows, served over HTTP on loopback with a configurable latency per request, so
 * that read-through, stampede benchmarks and drills can count the load that reaches "the database".
 *
 * <ul>
 *   <li>{@code GET /users/<key>} and {@code GET /tweets/<key>}: the row whose id is the key's trailing number
 *       ({@code user:42}, {@code 42}) as JSON, or 404;
 *   <li>{@code POST /batch/users} and {@code POST /batch/tweets} with {@code {"keys":["user:1","user:2"]}}: the rows
 *       found, in one database query, as {@code {"values":{"user:1":{"value":"{...}","encoding":"utf-8",
 *       "contentType":"application/json"}}}} (keys without a row are left out), the batch form the gateways use for
 *       MGET ({@code origin.batch-url});
 *   <li>{@code GET /metrics}: {@code meridian_demo_origin_requests_total{table,outcome}} in the Prometheus text
 *       format (three counters do not justify a metrics library in this small process);
 *   <li>{@code GET /health}: 200 once the data is loaded.
 * </ul>
 *
 * Run by {@code ./meridian up} as its own JVM: {@code java -jar infra/demo-origin/target/meridian-demo-origin.jar
 * <port> <latency-ms> <users> <tweets>}.
 */
public final class DemoOrigin {

    private static final Pattern TRAILING_ID = Pattern.compile("(?:^|:)(\\d{1,18})$");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection database;
    private final long latencyMillis;
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();

    private DemoOrigin(Connection database, long latencyMillis) {
        this.database = database;
        this.latencyMillis = latencyMillis;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: DemoOrigin <port> <latency-ms> <users> <tweets>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        long latency = Long.parseLong(args[1]);
        Connection database = DriverManager.getConnection("jdbc:h2:mem:meridian-demo;DB_CLOSE_DELAY=-1");
        generate(database, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        DemoOrigin origin = new DemoOrigin(database, latency);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/users/", exchange -> origin.row(exchange, "users"));
        server.createContext("/tweets/", exchange -> origin.row(exchange, "tweets"));
        server.createContext("/batch/users", exchange -> origin.batch(exchange, "users"));
        server.createContext("/batch/tweets", exchange -> origin.batch(exchange, "tweets"));
        server.createContext("/metrics", origin::metrics);
        server.createContext("/health", exchange -> send(exchange, 200, "text/plain", "UP\n"));
        server.start();
        System.out.println("demo origin on http://127.0.0.1:" + port + " (latency " + latency + " ms)");
    }

    /** Deterministic rows (seeded), so that runs and benchmarks see the same data. */
    static void generate(Connection database, int users, int tweets) throws SQLException {
        try (var statement = database.createStatement()) {
            statement.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, handle VARCHAR(32), bio VARCHAR(160))");
            statement.execute("CREATE TABLE tweets (id BIGINT PRIMARY KEY, user_id BIGINT, text VARCHAR(280))");
        }
        Random random = new Random(42);
        try (PreparedStatement insert = database.prepareStatement("INSERT INTO users VALUES (?, ?, ?)")) {
            for (int id = 1; id <= users; id++) {
                insert.setLong(1, id);
                insert.setString(2, "user" + id);
                insert.setString(3, "bio of user " + id + " #" + random.nextInt(1000));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (PreparedStatement insert = database.prepareStatement("INSERT INTO tweets VALUES (?, ?, ?)")) {
            for (int id = 1; id <= tweets; id++) {
                insert.setLong(1, id);
                insert.setLong(2, 1 + random.nextInt(Math.max(1, users)));
                insert.setString(3, "tweet " + id + ": " + Long.toHexString(random.nextLong()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private void row(HttpExchange exchange, String table) throws IOException {
        String key = URLDecoder.decode(
                exchange.getRequestURI().getRawPath().substring(table.length() + 2), StandardCharsets.UTF_8);
        pause();
        Optional<String> json;
        try {
            json = idOf(key).flatMap(id -> find(table, id));
        } catch (IllegalStateException e) {
            count(table, "error");
            send(exchange, 500, "text/plain", "database error: " + e.getMessage() + "\n");
            return;
        }
        count(table, json.isPresent() ? "found" : "not_found");
        if (json.isPresent()) {
            send(exchange, 200, "application/json", json.get());
        } else {
            send(exchange, 404, "text/plain", "no " + table + " row for " + key + "\n");
        }
    }

    static Optional<Long> idOf(String key) {
        Matcher matcher = TRAILING_ID.matcher(key);
        return matcher.find() ? Optional.of(Long.parseLong(matcher.group(1))) : Optional.empty();
    }

    /** One batch of keys: one query for all their rows, counted as one request ({@code outcome="batch"}). */
    private void batch(HttpExchange exchange, String table) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            send(exchange, 405, "text/plain", "POST {\"keys\":[...]}\n");
            return;
        }
        JsonNode keys;
        try (var body = exchange.getRequestBody()) {
            keys = JSON.readTree(body).get("keys");
        } catch (IOException | RuntimeException malformed) {
            keys = null;
        }
        if (keys == null || !keys.isArray()) {
            send(exchange, 400, "text/plain", "the body must be {\"keys\":[...]}\n");
            return;
        }
        pause();
        Map<Long, List<String>> keysById = new LinkedHashMap<>();
        for (JsonNode key : keys) {
            idOf(key.asText())
                    .ifPresent(id ->
                            keysById.computeIfAbsent(id, k -> new ArrayList<>()).add(key.asText()));
        }
        Map<Long, String> rows;
        try {
            rows = findAll(table, keysById.keySet());
        } catch (IllegalStateException e) {
            count(table, "error");
            send(exchange, 500, "text/plain", "database error: " + e.getMessage() + "\n");
            return;
        }
        count(table, "batch");
        ObjectNode values = JSON.createObjectNode();
        rows.forEach((id, json) -> {
            for (String key : keysById.get(id)) {
                values.putObject(key)
                        .put("value", json)
                        .put("encoding", "utf-8")
                        .put("contentType", "application/json");
            }
        });
        ObjectNode answer = JSON.createObjectNode();
        answer.set("values", values);
        send(exchange, 200, "application/json", JSON.writeValueAsString(answer));
    }

    private Optional<String> find(String table, long id) {
        return Optional.ofNullable(findAll(table, List.of(id)).get(id));
    }

    /** The rows of these ids as JSON, by id; ids without a row are left out. */
    private Map<Long, String> findAll(String table, java.util.Collection<Long> ids) {
        Map<Long, String> rows = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return rows;
        }
        String in = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
        String sql = table.equals("users")
                ? "SELECT id, handle, bio FROM users WHERE id IN (" + in + ")"
                : "SELECT id, user_id, text FROM tweets WHERE id IN (" + in + ")";
        synchronized (database) {
            try (PreparedStatement query = database.prepareStatement(sql)) {
                int parameter = 1;
                for (long id : ids) {
                    query.setLong(parameter++, id);
                }
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        rows.put(
                                row.getLong(1),
                                table.equals("users")
                                        ? "{\"id\":" + row.getLong(1) + ",\"handle\":\"" + row.getString(2)
                                                + "\",\"bio\":\"" + row.getString(3) + "\"}"
                                        : "{\"id\":" + row.getLong(1) + ",\"userId\":" + row.getLong(2) + ",\"text\":\""
                                                + row.getString(3) + "\"}");
                    }
                    return rows;
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void pause() {
        if (latencyMillis <= 0) {
            return;
        }
        try {
            Thread.sleep(latencyMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void count(String table, String outcome) {
        requests.computeIfAbsent(table + "\u0000" + outcome, k -> new AtomicLong())
                .incrementAndGet();
    }

    private void metrics(HttpExchange exchange) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append("# HELP meridian_demo_origin_requests_total Requests answered by the demo origin\n");
        text.append("# TYPE meridian_demo_origin_requests_total counter\n");
        requests.forEach((name, count) -> {
            String[] parts = name.split("\u0000");
            text.append("meridian_demo_origin_requests_total{table=\"")
                    .append(parts[0])
                    .append("\",outcome=\"")
                    .append(parts[1])
                    .append("\"} ")
                    .append(count.get())
                    .append('\n');
        });
        send(exchange, 200, "text/plain; version=0.0.4", text.toString());
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
