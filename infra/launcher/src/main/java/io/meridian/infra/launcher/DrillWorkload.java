package io.meridian.infra.launcher;

import io.meridian.coherence.version.Version;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The seeded client workload of a drill: each client owns a few keys of {@code tweets}, keeps the session token the
 * gateways hand it, and writes and reads its keys, mostly through "its" region and sometimes through another one (so
 * read-your-writes across regions is exercised). Every request goes to loopback, is bounded by a client timeout, and
 * the whole workload stops by itself.
 */
final class DrillWorkload {

    /** The namespace of drills that do not ask for another one. */
    static final String NAMESPACE = "tweets";

    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(4);
    private static final int KEYS_PER_CLIENT = 4;

    private final String namespace;
    private final Integer priority;
    private final Map<String, String> gateways;
    private final List<String> regions;
    private final int clients;
    private final long seed;
    private final String run;
    private final DrillHistory history = new DrillHistory();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();
    private final List<Thread> threads = new ArrayList<>();
    private long startedAt;

    DrillWorkload(String namespace, Integer priority, Map<String, String> gateways, int clients, long seed) {
        this.namespace = namespace;
        this.priority = priority;
        this.gateways = gateways;
        this.regions = gateways.keySet().stream().sorted().toList();
        this.clients = clients;
        this.seed = seed;
        this.run = Long.toHexString(seed) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    /** The keys client {@code client} writes. */
    List<String> keysOf(int client) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < KEYS_PER_CLIENT; i++) {
            keys.add("drill-" + run + "-c" + client + "-k" + i);
        }
        return keys;
    }

    List<String> allKeys() {
        List<String> keys = new ArrayList<>();
        for (int client = 0; client < clients; client++) {
            keys.addAll(keysOf(client));
        }
        return keys;
    }

    void start() {
        startedAt = System.currentTimeMillis();
        for (int client = 0; client < clients; client++) {
            int id = client;
            Thread thread = new Thread(() -> runClient(id, new Random(seed * 31 + id)), "drill-client-" + id);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Stops the clients and waits for their last requests. */
    DrillHistory stop() throws InterruptedException {
        stopping.set(true);
        for (Thread thread : threads) {
            thread.join(CLIENT_TIMEOUT.toMillis() + 1_000);
        }
        return history;
    }

    long elapsedMillis() {
        return System.currentTimeMillis() - startedAt;
    }

    private void runClient(int client, Random random) {
        List<String> keys = keysOf(client);
        String ownRegion = regions.get(client % regions.size());
        String token = null;
        int sequence = 0;
        while (!stopping.get()) {
            String key = keys.get(random.nextInt(keys.size()));
            String region = random.nextInt(5) == 0 ? regions.get(random.nextInt(regions.size())) : ownRegion;
            boolean put = random.nextInt(5) < 2;
            String value = put ? "c" + client + "-s" + sequence++ : null;
            Sent sent = send(client, region, key, value, token);
            history.add(sent.op());
            if (sent.token() != null) {
                token = sent.token();
            }
            pause(random);
        }
    }

    /** A request's record and the session token its answer carried, if any. */
    private record Sent(DrillHistory.Op op, String token) {}

    private Sent send(int client, String region, String key, String value, String token) {
        URI uri = URI.create(gateways.get(region) + "/v1/namespaces/" + namespace + "/keys/" + key
                + (value != null ? "?ttl=600s" : ""));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(CLIENT_TIMEOUT);
        if (value != null) {
            request.header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString(value));
        } else {
            request.GET();
        }
        if (token != null) {
            request.header("Meridian-Session", token);
        }
        if (priority != null) {
            request.header("Meridian-Priority", priority.toString());
        }
        long sent = System.currentTimeMillis();
        int status = 0;
        String version = null;
        String body = null;
        String answeredToken = null;
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            answeredToken = response.headers().firstValue("Meridian-Session").orElse(null);
            if (status == 200) {
                if (value != null) {
                    version = jsonField(response.body(), "version");
                    body = value;
                } else {
                    version = response.headers()
                            .firstValue("ETag")
                            .map(tag -> tag.replace("\"", ""))
                            .orElse(null);
                    body = response.body();
                }
            }
        } catch (IOException e) {
            status = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        DrillHistory.Op op = new DrillHistory.Op(
                sent - startedAt,
                client,
                region,
                value != null ? "PUT" : "GET",
                key,
                status,
                version,
                body,
                System.currentTimeMillis() - sent,
                token != null);
        return new Sent(op, answeredToken);
    }

    private static String jsonField(String json, String field) {
        int at = json.indexOf("\"" + field + "\":\"");
        if (at < 0) {
            return null;
        }
        int start = at + field.length() + 4;
        return json.substring(start, json.indexOf('"', start));
    }

    private static void pause(Random random) {
        try {
            Thread.sleep(20 + random.nextInt(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return {@code a} is newer than {@code b} (null is older than anything) */
    static boolean newer(String a, String b) {
        if (a == null) {
            return false;
        }
        return b == null || Version.fromHex(a).compareTo(Version.fromHex(b)) > 0;
    }
}
