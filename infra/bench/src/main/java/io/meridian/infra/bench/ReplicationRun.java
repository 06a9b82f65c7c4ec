package io.meridian.infra.bench;

import static io.meridian.infra.bench.ReplicationFigures.maxMillis;
import static io.meridian.infra.bench.ReplicationFigures.millis;
import static io.meridian.infra.bench.ReplicationSettings.TARGET_P50_MILLIS;
import static io.meridian.infra.bench.ReplicationSettings.TARGET_P99_MILLIS;
import static io.meridian.infra.bench.ReplicationSettings.TARGET_RATE;

import io.meridian.infra.cluster.MachineDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The figures of one {@code bench replication} run, the verdict against the target of issue 4 (ack-to-visible p50
 * at most 5 ms and p99 at most 25 ms at 5,000 writes/s) with what limited a run that missed it, and how all of it
 * reads on the console and in {@code docs/benchmarks.md}.
 *
 * @param cluster how the cluster came to be: {@code started for this run} (cold JVMs) or
 *     {@code already running, up 12 min}
 * @param home the region written to; every key is homed there
 * @param remote the region whose Redis is polled
 * @param cpu where the CPU went during the measured window, where it could be read
 * @param idleCpu the same for a few seconds before the load started: what the cluster costs doing nothing
 * @param remoteApplied events of the home region the other region's replicator applied per second during the window,
 *     where its metrics could be read
 * @param jvms JVMs running on the machine for the run (Kafka, gateways, replicators, this bench)
 * @param redisServers Redis servers running for the run
 */
public record ReplicationRun(
        ReplicationSettings settings,
        String cluster,
        String home,
        String homeGateway,
        String remote,
        String remoteRedis,
        ReplicationFigures figures,
        Optional<CpuReport> cpu,
        Optional<CpuReport> idleCpu,
        OptionalDouble remoteApplied,
        int jvms,
        int redisServers) {

    /** Share of the offered rate that must be acknowledged for a run to count as sustaining it. */
    static final double SUSTAINED = 0.98;

    /** Send lag p99 above which the generator itself fell behind its schedule. */
    static final double GENERATOR_LATE_MILLIS = 5;

    /** CPU share above which the machine counts as saturated. */
    static final double SATURATED = 0.90;

    /** Cores used by processes outside the cluster above which the run was disturbed by them. */
    static final double DISTURBED_CORES = 0.25;

    /**
     * The outcome of a run.
     *
     * @param met the target was met
     * @param line one line saying so, with the figures it rests on
     * @param limits what kept the run from the target (empty when met)
     */
    public record Verdict(boolean met, String line, List<String> limits) {}

    public double visibleP50() {
        return millis(figures.visibleMicros(), 50);
    }

    public double visibleP99() {
        return millis(figures.visibleMicros(), 99);
    }

    /** Whether the home gateway acknowledged (nearly) every write offered, without skips or failures. */
    public boolean rateSustained() {
        long due = Math.max(1, figures.scheduled());
        return figures.achievedRate() >= SUSTAINED * settings.rate()
                && figures.skipped() <= (1 - SUSTAINED) * due
                && figures.failed() <= (1 - SUSTAINED) * due;
    }

    /** Whether the latency figures are within the target (whatever the rate). */
    public boolean latencyWithinTarget() {
        return figures.samples() > 0 && visibleP50() <= TARGET_P50_MILLIS && visibleP99() <= TARGET_P99_MILLIS;
    }

    public Verdict verdict() {
        boolean atTargetRate = settings.rate() >= TARGET_RATE;
        boolean latencyOk = latencyWithinTarget();
        boolean rateOk = rateSustained();
        String latency = String.format(
                Locale.ROOT,
                "ack→visible p50 %.2f ms %s %.0f, p99 %.2f ms %s %.0f",
                visibleP50(),
                visibleP50() <= TARGET_P50_MILLIS ? "≤" : ">",
                TARGET_P50_MILLIS,
                visibleP99(),
                visibleP99() <= TARGET_P99_MILLIS ? "≤" : ">",
                TARGET_P99_MILLIS);
        String rate = String.format(
                Locale.ROOT, "%,.0f writes/s acknowledged of %,d/s offered", figures.achievedRate(), settings.rate());
        boolean met =
                atTargetRate && rateOk && latencyOk && figures.sampleErrors().isEmpty();
        String line;
        if (met) {
            line = "target met: " + latency + " at " + rate;
        } else if (atTargetRate) {
            line = "target not met: " + latency + " at " + rate + (rateOk ? "" : " (rate not sustained)");
        } else {
            line = String.format(
                    Locale.ROOT,
                    "not a target run: offered %,d writes/s, below the %,d/s of the target, to measure latency at a"
                            + " rate this machine sustains; %s at %s: latency %s the target",
                    settings.rate(),
                    TARGET_RATE,
                    latency,
                    rate,
                    latencyOk ? "within" : "over");
        }
        return new Verdict(met, line, met ? List.of() : limits(rateOk, latencyOk));
    }

    private List<String> limits(boolean rateOk, boolean latencyOk) {
        List<String> limits = new ArrayList<>();
        if (!rateOk) {
            limits.add(String.format(
                    Locale.ROOT,
                    "write rate: the %s gateway acknowledged %,.0f writes/s of the %,d/s offered (%,d of %,d due"
                            + " writes skipped at the in-flight cap of %d, %,d failed; PUT ack p50 %.2f ms, p99 %.2f"
                            + " ms): one gateway's PUT path (Kafka produce with acks=all, then the Redis script)"
                            + " does not sustain %,d/s here",
                    home,
                    figures.achievedRate(),
                    settings.rate(),
                    figures.skipped(),
                    figures.scheduled(),
                    settings.maxInFlight(),
                    figures.failed(),
                    millis(figures.ackMicros(), 50),
                    millis(figures.ackMicros(), 99),
                    settings.rate()));
        }
        double lag = millis(figures.sendLagMicros(), 99);
        if (lag > GENERATOR_LATE_MILLIS) {
            limits.add(String.format(
                    Locale.ROOT,
                    "load generator: sends left up to %.1f ms late (send lag p99): this bench did not get the CPU"
                            + " in time either",
                    lag));
        }
        if (!latencyOk) {
            limits.add(String.format(
                    Locale.ROOT,
                    "replication: ack→visible p50 %.2f ms, p99 %.2f ms; a write goes %s gateway → Kafka (acks=all)"
                            + " → %s replicator (consumer fetch) → Redis apply%s",
                    visibleP50(),
                    visibleP99(),
                    home,
                    remote,
                    figures.timeouts() == 0
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    "; %,d of %,d samples not visible within %d s",
                                    figures.timeouts(),
                                    figures.samples(),
                                    settings.visibilityTimeout().toSeconds())));
        }
        if (remoteApplied.isPresent() && remoteApplied.getAsDouble() < SUSTAINED * figures.achievedRate()) {
            limits.add(String.format(
                    Locale.ROOT,
                    "the %s replicator applied %,.0f events/s from %s while the %s gateway acknowledged %,.0f"
                            + " writes/s: it fell behind, so each write waited behind a growing backlog (the"
                            + " replicator applies events one after another)",
                    remote,
                    remoteApplied.getAsDouble(),
                    home,
                    home,
                    figures.achievedRate()));
        }
        if (remoteApplied.isPresent()
                && figures.failed() > 0
                && remoteApplied.getAsDouble() > (2 - SUSTAINED) * figures.achievedRate()) {
            limits.add(String.format(
                    Locale.ROOT,
                    "the %s replicator applied %,.0f events/s from %s, more than the %,.0f writes/s acknowledged:"
                            + " writes answered with an error (%,d) still reached the log, so the replicators carry"
                            + " load the clients were told failed",
                    remote,
                    remoteApplied.getAsDouble(),
                    home,
                    figures.achievedRate(),
                    figures.failed()));
        }
        if (!figures.sampleErrors().isEmpty()) {
            limits.add("samples not followed: " + figures.sampleErrors());
        }
        cpu.ifPresent(report -> {
            if (report.busyFraction() >= SATURATED) {
                limits.add(String.format(
                                Locale.ROOT,
                                "CPU: the machine was %.0f%% busy; %d JVMs (Kafka, gateways, replicators, this bench) and %d"
                                        + " Redis servers share %d cores, so every hop waits for a core",
                                100 * report.busyFraction(),
                                jvms,
                                redisServers,
                                report.cores())
                        + idleCpu.map(idle -> String.format(
                                        Locale.ROOT,
                                        "; idle, before any write, the cluster already kept %.2f cores busy",
                                        idle.namedCores()))
                                .orElse(""));
            }
            double others = report.busyCores() - report.namedCores();
            if (others > DISTURBED_CORES) {
                limits.add(String.format(
                        Locale.ROOT,
                        "other processes, not part of the cluster, used %.2f cores during the window: the figures"
                                + " are pessimistic",
                        others));
            }
        });
        return limits;
    }

    /** Lines for the console. */
    public List<String> consoleLines(MachineDescription machine, String command) {
        List<String> lines = new ArrayList<>();
        lines.add("bench replication: " + setup());
        lines.add("machine: " + machine);
        lines.add(String.format(
                Locale.ROOT,
                "writes   offered %,d/s, acked %,.0f/s  ack p50 %.2f ms  p99 %.2f ms  max %.2f ms"
                        + "  (%,d due, %,d sent, %,d skipped, %,d failed%s)",
                settings.rate(),
                figures.achievedRate(),
                millis(figures.ackMicros(), 50),
                millis(figures.ackMicros(), 99),
                maxMillis(figures.ackMicros()),
                figures.scheduled(),
                figures.sent(),
                figures.skipped(),
                figures.failed(),
                figures.writeFailures().isEmpty() ? "" : " " + figures.writeFailures()));
        lines.add(String.format(
                Locale.ROOT,
                "visible  p50 %.2f ms  p99 %.2f ms  max %.2f ms  in %s after the %s ack  (%,d samples, %,d timeouts,"
                        + " %,d polls%s)",
                visibleP50(),
                visibleP99(),
                maxMillis(figures.visibleMicros()),
                remote,
                home,
                figures.samples(),
                figures.timeouts(),
                figures.polls(),
                figures.sampleErrors().isEmpty() ? "" : ", not followed " + figures.sampleErrors()));
        if (!figures.slowest().isEmpty()) {
            lines.add("slowest  " + slowest());
        }
        remoteApplied.ifPresent(rate -> lines.add(String.format(
                Locale.ROOT,
                "applied  %,.0f events/s from %s by the %s replicator during the window",
                rate,
                home,
                remote)));
        idleCpu.ifPresent(report -> lines.add("cpu idle: " + report.summary()));
        cpu.ifPresent(report -> lines.add("cpu: " + report.summary()));
        Verdict verdict = verdict();
        lines.add("verdict: " + verdict.line());
        verdict.limits().forEach(limit -> lines.add("limited by: " + limit));
        lines.add("command: " + command);
        return lines;
    }

    /** A section of {@code docs/benchmarks.md}: command, machine, date, setup, a table, the verdict. */
    public String markdownSection(MachineDescription machine, String command) {
        StringBuilder md = new StringBuilder();
        md.append(BenchmarkLog.sectionHeader(machine, "replication", command));
        md.append("- Setup: ").append(setup()).append('\n');
        idleCpu.ifPresent(report -> md.append("- CPU before the load (idle cluster, ")
                .append(ReplicationBenchmark.IDLE.toSeconds())
                .append(" s): ")
                .append(report.summary())
                .append('\n'));
        cpu.ifPresent(report -> md.append("- CPU during the measured window: ")
                .append(report.summary())
                .append('\n'));
        md.append('\n');
        md.append("| what | writes/s | p50 (ms) | p99 (ms) | max (ms) | count | not counted |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
        md.append(String.format(
                Locale.ROOT,
                "| PUT in %s, send → `200` | %.0f of %d offered | %.2f | %.2f | %.2f | %d acked | %d skipped,"
                        + " %d failed |%n",
                home,
                figures.achievedRate(),
                settings.rate(),
                millis(figures.ackMicros(), 50),
                millis(figures.ackMicros(), 99),
                maxMillis(figures.ackMicros()),
                figures.acked(),
                figures.skipped(),
                figures.failed()));
        md.append(String.format(
                Locale.ROOT,
                "| visible in %s's Redis, `200` → version seen | - | %.2f | %.2f | %.2f | %d samples | %d"
                        + " timeouts%s |%n",
                remote,
                visibleP50(),
                visibleP99(),
                maxMillis(figures.visibleMicros()),
                figures.samples(),
                figures.timeouts(),
                figures.sampleErrors().isEmpty() ? "" : ", " + figures.sampleErrors()));
        remoteApplied.ifPresent(rate -> md.append(String.format(
                Locale.ROOT,
                "| events from %s applied by %s's replicator | %.0f | - | - | - | - | - |%n",
                home,
                remote,
                rate)));
        md.append('\n');
        if (!figures.slowest().isEmpty()) {
            md.append("Slowest samples (ack → visible, and when acknowledged, seconds into the window): ")
                    .append(slowest())
                    .append(".\n\n");
        }
        Verdict verdict = verdict();
        md.append(String.format(
                Locale.ROOT,
                "**Verdict** (target: p50 ≤ %.0f ms, p99 ≤ %.0f ms at %,d writes/s): %s.%n",
                TARGET_P50_MILLIS,
                TARGET_P99_MILLIS,
                TARGET_RATE,
                verdict.line()));
        if (!verdict.limits().isEmpty()) {
            md.append("\nLimited by:\n\n");
            verdict.limits().forEach(limit -> md.append("- ").append(limit).append('\n'));
        }
        md.append("\nA latency is the time from the `200` answer to the first poll of the other region's Redis that"
                + " found the acknowledged version (or a newer one). A sample is polled ~1 ms after its ack, then"
                + " every max(1 ms, 1/20 of its age), so a figure is high by at most ~1 ms or 5 %, plus one Redis"
                + " round trip. Timed-out samples count at the timeout.\n");
        return md.toString();
    }

    private String setup() {
        return String.format(
                Locale.ROOT,
                "PUTs to %s (%s) of fresh keys homed there, %,d writes/s offered open-loop (in-flight cap %d), %d B"
                        + " values in %s, warm-up %d s, %d s measured; %s followed in %s's Redis (%s,"
                        + " GETRANGE from ~1 ms after the ack, timeout %d s); cluster %s",
                home,
                homeGateway,
                settings.rate(),
                settings.maxInFlight(),
                settings.valueBytes(),
                settings.namespace(),
                settings.warmup().toSeconds(),
                settings.duration().toSeconds(),
                everyNth(settings.sampleEvery()),
                remote,
                remoteRedis,
                settings.visibilityTimeout().toSeconds(),
                cluster);
    }

    /** {@code 254.0 ms at 3.2 s, 250.1 ms at 13.2 s, ...}. */
    String slowest() {
        return String.join(
                ", ",
                figures.slowest().stream()
                        .map(sample ->
                                String.format(Locale.ROOT, "%.1f ms at %.1f s", sample.millis(), sample.atSeconds()))
                        .toList());
    }

    /** {@code every write}, {@code every 2nd write}, {@code every 10th write}. */
    static String everyNth(int n) {
        if (n == 1) {
            return "every write";
        }
        int mod100 = n % 100;
        String suffix = mod100 >= 11 && mod100 <= 13
                ? "th"
                : switch (n % 10) {
                    case 1 -> "st";
                    case 2 -> "nd";
                    case 3 -> "rd";
                    default -> "th";
                };
        return "every " + n + suffix + " write";
    }
}
