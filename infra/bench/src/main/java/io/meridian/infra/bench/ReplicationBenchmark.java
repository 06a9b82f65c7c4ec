package io.meridian.infra.bench;

import io.meridian.coherence.redis.RedisKeys;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ./meridian bench replication}: how long after its home region acknowledged a write the write is visible in
 * another region, at a fixed write rate, on loopback with no injected delay (issue 4's acceptance: p50 at most 5 ms and
 * p99 at most 25 ms at 5,000 writes/s).
 *
 * <p>Keys are fresh ({@code repl-<run>-<n>}, homed in the written region), so a sample never sees an older run's or
 * a later write's version. The other region is observed in its Redis directly, not through its gateway: what is
 * measured is the replication path (Kafka, the other region's replicator, its Redis script), not a read path.
 */
public final class ReplicationBenchmark {

    /** How long the idle cluster's CPU use is measured before the load starts. */
    static final Duration IDLE = Duration.ofSeconds(3);

    private final ReplicationSettings settings;
    private final PrintWriter out;

    public ReplicationBenchmark(ReplicationSettings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /**
     * Runs against a cluster.
     *
     * @param regions every region of the cluster (placement hashes over all of them)
     * @param home the region written to, {@code homeGateway} its gateway
     * @param remote the region observed, {@code remoteRedis} its Redis nodes, {@code remoteReplicator} its
     *     replicator's base URL
     * @param processes the cluster's processes by name ({@code kafka}, {@code us-east gateway}, ...), for the CPU
     *     report
     * @param cluster how the cluster came to be, for the report: {@code started for this run}, or
     *     {@code already running, up 12 min}
     */
    public ReplicationRun run(
            List<String> regions,
            String home,
            String homeGateway,
            String remote,
            List<String> remoteRedis,
            String remoteReplicator,
            Map<String, Long> processes,
            String cluster) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        HomeKeys keys = new HomeKeys("repl-" + run + "-", home, regions);
        AtomicReference<CpuReport.Meter> meter = new AtomicReference<>();
        AtomicReference<CpuReport> cpu = new AtomicReference<>();
        ReplicatorMetrics replicator = new ReplicatorMetrics(remoteReplicator, home);
        AtomicReference<OptionalLong> appliedAtStart = new AtomicReference<>(OptionalLong.empty());
        AtomicReference<OptionalDouble> appliedRate = new AtomicReference<>(OptionalDouble.empty());
        ReplicationFigures figures;
        CpuReport idle;
        try (ReplicationLoad load = new ReplicationLoad(settings, URI.create(homeGateway), remoteRedis, out)) {
            long generation = load.generation(home);
            // Once before the load: the first request loads the HTTP client's classes and starts its threads, which
            // at the start of the measured window took enough of the shared CPU to delay the first samples.
            replicator.applied();
            progress("measuring the idle cluster's CPU for " + IDLE.toSeconds() + " s");
            CpuReport.Meter idleMeter = CpuReport.start(processes);
            Pause.sleep(IDLE);
            idle = idleMeter.stop();
            figures = load.run(
                    keys,
                    home,
                    key -> RedisKeys.value(settings.namespace(), key, generation),
                    new ReplicationLoad.Window() {
                        @Override
                        public void started() {
                            appliedAtStart.set(replicator.applied());
                            meter.set(CpuReport.start(processes));
                        }

                        @Override
                        public void ended() {
                            cpu.set(meter.get().stop());
                            appliedRate.set(ReplicatorMetrics.rate(
                                    appliedAtStart.get(),
                                    replicator.applied(),
                                    settings.duration().toNanos() / 1e9));
                        }
                    });
        }
        if (figures.acked() == 0) {
            throw new IllegalStateException("the " + home + " gateway acknowledged no write in the measured window"
                    + " (failures " + figures.writeFailures() + "); is the cluster ready? (./meridian status)");
        }
        long redisServers = processes.keySet().stream()
                .filter(name -> name.contains("redis"))
                .count();
        int jvms = (int) (processes.size() - redisServers) + 1;
        return new ReplicationRun(
                settings,
                cluster,
                home,
                homeGateway,
                remote,
                String.join(",", remoteRedis),
                figures,
                Optional.ofNullable(cpu.get()),
                Optional.of(idle),
                appliedRate.get(),
                jvms,
                (int) redisServers);
    }

    private void progress(String line) {
        out.println("[bench] " + line + "...");
        out.flush();
    }
}
