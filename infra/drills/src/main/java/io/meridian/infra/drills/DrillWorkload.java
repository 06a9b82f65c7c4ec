package io.meridian.infra.drills;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The seeded client workload of a drill, recorded as a full {@link DrillHistory}. Every client writes, deletes and
 * reads all {@value #KEYS} keys of {@code tweets}, so each key has several writers; a share of its writes are
 * conditional ({@code If-Match} on the version it last saw, so most of them race and some get {@code 412}). It keeps
 * the session token the gateways hand it and sends it on its writes and most reads; some reads go without a token to
 * the region that executed the key's writes ({@code Meridian-Home}). It writes mostly through "its" region and
 * sometimes through another one, so sessions cross regions. Every value written is unique ({@code c<client>-s<n>}),
 * so a value read names its write. Every request goes to loopback, is bounded by a client timeout, and the whole
 * workload stops by itself.
 */
final class DrillWorkload {

    /** The namespace of drills that do not ask for another one. */
    static final String NAMESPACE = "tweets";

    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(4);

    /** Keys every client writes and reads. */
    static final int KEYS = 64;

    /** Out of 100 ops: reads with the token, reads without, PUTs, PUTs with If-Match; the rest are DELETEs. */
    private static final int READS = 35;

    private static final int TOKENLESS_READS = READS + 10;
    private static final int PUTS = TOKENLESS_READS + 30;
    private static final int CONDITIONAL_PUTS = PUTS + 12;

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

    /** Every key of the workload. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            keys.add("drill-" + run + "-k" + i);
        }
        return keys;
    }

    String namespace() {
        return namespace;
    }

    void start() {
        startedAt = System.currentTimeMillis();
        for (int client = 0; client < clients; client++) {
            int id = client;
            Thread thread = new Thread(() -> new Client(id).run(new Random(seed * 31 + id)), "drill-client-" + id);
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

    /**
     * A read of the drill itself, without a token, after the workload: what {@code region} holds of {@code key}. Not
     * recorded; the drill adds the last one of each region and key to the history.
     */
    DrillHistory.Op finalRead(String region, String key) {
        return send(new Request(DrillHistory.FINAL_READER, region, DrillHistory.Kind.FINAL_READ, key, null, null, null))
                .op();
    }

    /** One client: its token, the last version it saw of each key, and where each key's writes ran. */
    private final class Client {

        private final int id;
        private final Map<String, String> lastSeen = new HashMap<>();
        private final Map<String, String> homes = new HashMap<>();
        private String token;
        private int sequence;

        Client(int id) {
            this.id = id;
        }

        void run(Random random) {
            List<String> keys = keys();
            String ownRegion = regions.get(id % regions.size());
            while (!stopping.get()) {
                String key = keys.get(random.nextInt(keys.size()));
                String region = random.nextInt(5) == 0 ? regions.get(random.nextInt(regions.size())) : ownRegion;
                Sent sent = send(request(random.nextInt(100), key, region, random));
                history.add(sent.op());
                learn(sent);
                pause(random);
            }
        }

        private Request request(int dice, String key, String region, Random random) {
            String known = lastSeen.get(key);
            if (dice < READS) {
                return new Request(id, region, DrillHistory.Kind.READ, key, null, null, token);
            }
            if (dice < TOKENLESS_READS) {
                String home = homes.getOrDefault(key, region);
                return new Request(id, home, DrillHistory.Kind.READ, key, null, null, null);
            }
            if (dice < CONDITIONAL_PUTS) {
                String ifMatch = dice >= PUTS ? known : null;
                return new Request(
                        id, region, DrillHistory.Kind.PUT, key, "c" + id + "-s" + sequence++, ifMatch, token);
            }
            String ifMatch = random.nextInt(3) == 0 ? known : null;
            return new Request(id, region, DrillHistory.Kind.DELETE, key, null, ifMatch, token);
        }

        /**
         * Keeps the token answered to a request that carried this client's token (a token answered to one without it
         * would cover that request alone), and drops a token the gateway refused, as api.md says to.
         */
        private void learn(Sent sent) {
            DrillHistory.Op op = sent.op();
            if (op.home() != null) {
                homes.put(op.key(), op.home());
            }
            if (op.version() != null && (op.found() || (op.isWrite() && op.acked()))) {
                lastSeen.put(op.key(), op.version());
            }
            if (sent.invalidToken()) {
                token = null;
            } else if (op.tokenReceived() != null && (token == null || token.equals(op.tokenSent()))) {
                token = op.tokenReceived();
            }
        }
    }

    /** What a client asks. */
    private record Request(
            int client,
            String region,
            DrillHistory.Kind kind,
            String key,
            String value,
            String ifMatch,
            String token) {}

    /** A request's record, and whether the gateway refused its token. */
    private record Sent(DrillHistory.Op op, boolean invalidToken) {}

    private Sent send(Request request) {
        URI uri = URI.create(gateways.get(request.region()) + "/v1/namespaces/" + namespace + "/keys/" + request.key()
                + (request.kind() == DrillHistory.Kind.PUT ? "?ttl=600s" : ""));
        HttpRequest.Builder http = HttpRequest.newBuilder(uri).timeout(CLIENT_TIMEOUT);
        switch (request.kind()) {
            case PUT ->
                http.header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString(request.value()));
            case DELETE -> http.DELETE();
            default -> http.GET();
        }
        if (request.ifMatch() != null) {
            http.header("If-Match", "\"" + request.ifMatch() + "\"");
        }
        if (request.token() != null) {
            http.header("Meridian-Session", request.token());
        }
        if (priority != null) {
            http.header("Meridian-Priority", priority.toString());
        }
        long invoked = elapsedMillis();
        Answer answer = answer(request.kind(), http.build());
        DrillHistory.Op op = new DrillHistory.Op(
                invoked,
                Math.max(invoked, elapsedMillis()),
                request.client(),
                request.region(),
                request.kind(),
                request.key(),
                request.kind() == DrillHistory.Kind.PUT ? request.value() : answer.body(),
                request.ifMatch(),
                answer.status(),
                answer.outcome(),
                answer.version(),
                answer.home(),
                request.token(),
                answer.token());
        return new Sent(op, answer.problem() != null && answer.problem().contains("/invalid-session-token\""));
    }

    /** What came back: the value of a read (200), the problem document of an error. */
    private record Answer(
            int status,
            DrillHistory.Outcome outcome,
            String body,
            String problem,
            String version,
            String home,
            String token) {}

    private Answer answer(DrillHistory.Kind kind, HttpRequest request) {
        try {
            HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            boolean problem = response.headers()
                    .firstValue("Content-Type")
                    .map(type -> type.startsWith("application/problem+json"))
                    .orElse(false);
            String version = status >= 200 && status < 300
                    ? response.headers()
                            .firstValue("ETag")
                            .map(tag -> tag.replace("\"", ""))
                            .orElse(null)
                    : null;
            return new Answer(
                    status,
                    DrillHistory.Outcome.of(kind, status, problem ? response.body() : null),
                    kind.isRead() && status == 200 ? response.body() : null,
                    problem ? response.body() : null,
                    version,
                    response.headers().firstValue("Meridian-Home").orElse(null),
                    response.headers().firstValue("Meridian-Session").orElse(null));
        } catch (ConnectException | HttpConnectTimeoutException notConnected) {
            // Never reached a gateway: nothing happened.
            return new Answer(0, DrillHistory.Outcome.FAILED, null, null, null, null, null);
        } catch (IOException e) {
            // Timed out or cut off after the request went out: a write may have happened.
            return new Answer(0, DrillHistory.Outcome.of(kind, 0, null), null, null, null, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, DrillHistory.Outcome.of(kind, 0, null), null, null, null, null, null);
        }
    }

    private static void pause(Random random) {
        try {
            Thread.sleep(20 + random.nextInt(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
