package io.meridian.infra.drills;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Overload: {@value #FLOOD_THREADS} loopback clients send priority-4 writes to one region as fast as it answers for
 * the middle third of the run, while the drill's clients send priority 1. The region must shed the flood (503 with
 * {@code Retry-After}, answered fast), never hang, and keep answering the priority-1 clients. Detection is the first
 * refusal of the flood; the flood stops by itself at the heal.
 */
final class OverloadFault implements DrillFault {

    /**
     * Concurrent flooding clients: above 75% of the gateways' initial adaptive limit (200), where priority 4 is shed
     * even before the limit adapts, so the flood overloads a region on any machine.
     */
    static final int FLOOD_THREADS = 200;

    /**
     * A refusal slower than this is not "fast": the gateway's request timeout, the longest any answer may take. An
     * unloaded machine refuses in milliseconds; the drill's own flood starves a 2-core machine's CPU, so the bound is
     * what a client can rely on, not the typical figure (see the report's median).
     */
    static final long FAST_REFUSAL_MILLIS = 2_000;

    private final String gateway;
    private final String region;
    private final String run;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong slowRefusals = new AtomicLong();
    private final AtomicLong refusedWithoutRetryAfter = new AtomicLong();
    private final AtomicLong firstRefusal = new AtomicLong(-1);
    private final List<Long> refusalMillis = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();
    private long injectedWall;

    OverloadFault(DrillCluster cluster, String region, long seed) {
        this.region = region;
        this.gateway = cluster.region(region).gateway();
        this.run = Long.toHexString(seed) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    @Override
    public String description() {
        return FLOOD_THREADS + " clients flood region " + region + " with priority-4 writes; the drill's clients send"
                + " priority 1";
    }

    @Override
    public String victim() {
        return null;
    }

    @Override
    public Integer priority() {
        return 1;
    }

    @Override
    public void inject(List<String> violations) {
        injectedWall = System.currentTimeMillis();
        for (int i = 0; i < FLOOD_THREADS; i++) {
            int id = i;
            Thread thread = new Thread(() -> flood(id), "drill-flood-" + id);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    @Override
    public void heal(List<String> violations) throws InterruptedException {
        stopping.set(true);
        for (Thread thread : threads) {
            thread.join(5_000);
        }
        if (refused.get() == 0) {
            violations.add("the flood of " + sent.get() + " priority-4 writes was never refused: " + region
                    + " shed nothing (the flood did not overload it, or shedding is off)");
        }
        if (slowRefusals.get() > refused.get() / 20) {
            violations.add(slowRefusals.get() + " of " + refused.get() + " refusals took over " + FAST_REFUSAL_MILLIS
                    + " ms: shedding must answer at once");
        }
        if (refusedWithoutRetryAfter.get() > 0) {
            violations.add(refusedWithoutRetryAfter.get() + " refusals came without Retry-After");
        }
    }

    @Override
    public String detects() {
        return "flood start to the first refusal";
    }

    @Override
    public Long detectedMillis() {
        long first = firstRefusal.get();
        return first < 0 ? null : first - injectedWall;
    }

    @Override
    public boolean mustShowInStatus() {
        return false;
    }

    @Override
    public void check(List<DrillHistory.Op> ops, long injectAt, long healAt, List<String> violations) {
        List<DrillHistory.Op> during = ops.stream()
                .filter(op -> op.region().equals(region) && op.atMillis() >= injectAt && op.atMillis() < healAt)
                .toList();
        long served = during.stream()
                .filter(op -> op.status() >= 200 && op.status() < 500)
                .count();
        // On a 2-core machine the flood's own clients share the cores with the region, so no absolute share holds;
        // what priorities promise is that priority 1 fares better than the priority 4 being shed.
        double floodAccepted = sent.get() == 0 ? 1 : (double) (sent.get() - refused.get()) / sent.get();
        if (served == 0 || (double) served / during.size() <= floodAccepted) {
            violations.add(served + " of " + during.size() + " priority-1 requests to " + region
                    + " were served during the flood, no better than the " + Math.round(floodAccepted * 100)
                    + "% of the priority-4 flood that was accepted");
        }
    }

    /** Back to normal: reachable, not lagging, and at level NORMAL again (it steps down once per 10 s). */
    @Override
    public boolean recovered(DrillMonitor.Sample sample) {
        return DrillFault.super.recovered(sample) && "NORMAL".equals(sample.level());
    }

    @Override
    public String normal() {
        return DrillFault.super.normal() + ", level NORMAL";
    }

    @Override
    public Duration recoveryBound() {
        return Duration.ofSeconds(75);
    }

    @Override
    public List<String[]> figures() {
        return List.of(
                new String[] {"flood requests sent (priority 4)", Long.toString(sent.get())},
                new String[] {"flood requests refused (shed, read-only, overloaded)", Long.toString(refused.get())},
                new String[] {"refusals slower than " + FAST_REFUSAL_MILLIS + " ms", Long.toString(slowRefusals.get())
                });
    }

    /** A refusal for load, answered before any work: shed, read-only (SURVIVAL) or overloaded (writes in flight). */
    private static boolean isRefusal(String problem) {
        return problem.contains("/shed\"") || problem.contains("/read-only\"") || problem.contains("/overloaded\"");
    }

    private void flood(int id) {
        long sequence = 0;
        while (!stopping.get()) {
            String key = "flood-" + run + "-" + id + "-" + (sequence++ % 64);
            HttpRequest request = HttpRequest.newBuilder(URI.create(
                            gateway + "/v1/namespaces/" + DrillWorkload.NAMESPACE + "/keys/" + key + "?ttl=60s"))
                    .timeout(Duration.ofSeconds(3))
                    .header("Content-Type", "text/plain")
                    .header("Meridian-Priority", "4")
                    .PUT(HttpRequest.BodyPublishers.ofString("flood " + sequence))
                    .build();
            long started = System.currentTimeMillis();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                sent.incrementAndGet();
                if (response.statusCode() == 503 && isRefusal(response.body())) {
                    refused.incrementAndGet();
                    firstRefusal.compareAndSet(-1, System.currentTimeMillis());
                    refusalMillis.add(System.currentTimeMillis() - started);
                    if (System.currentTimeMillis() - started > FAST_REFUSAL_MILLIS) {
                        slowRefusals.incrementAndGet();
                    }
                    if (response.headers().firstValue("Retry-After").isEmpty()) {
                        refusedWithoutRetryAfter.incrementAndGet();
                    }
                }
            } catch (java.io.IOException e) {
                sent.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
