package io.meridian.infra.bench;

import io.meridian.infra.cluster.LocalNamespaces;
import io.meridian.infra.cluster.MachineDescription;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * {@code ./meridian bench hotkey}: GET throughput of a few hot keys through one gateway with its near cache (L1) and
 * without it, at the same concurrency, in one run. The same values are written to two namespaces that differ only
 * in {@code near-cache} ({@link #WITH_L1}, {@link #WITHOUT_L1}); the phases alternate (without, with, without, with)
 * so that JIT warm-up and background load fall on both sides.
 */
public final class HotKeyBenchmark {

    /** A namespace with the near cache on (the launcher's default {@code tweets}). */
    public static final String WITH_L1 = "tweets";
    /** The same kind of namespace with the near cache off, configured by the launcher for this benchmark. */
    static final String WITHOUT_L1 = LocalNamespaces.WITHOUT_NEAR_CACHE;

    private final LoadSettings settings;
    private final PrintWriter out;

    public HotKeyBenchmark(LoadSettings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /** The figures of one run: the better of two phases per side. */
    public record Run(
            String region, String gatewayUrl, LoadSettings settings, PhaseResult withL1, PhaseResult without) {

        double ratio() {
            return withL1.throughput() / without.throughput();
        }

        public List<String> consoleLines(MachineDescription machine, String command) {
            List<String> lines = new ArrayList<>();
            lines.add("bench hotkey: " + setup());
            lines.add("machine: " + machine);
            lines.add(withL1.consoleLine("GET with L1", 14));
            lines.add(without.consoleLine("GET without L1", 14));
            lines.add(String.format(Locale.ROOT, "with / without L1: %.2f (target: at least 2.00)", ratio()));
            lines.add("command: " + command);
            return lines;
        }

        public String markdownSection(MachineDescription machine, String command) {
            StringBuilder md = new StringBuilder(BenchmarkLog.sectionHeader(machine, "hotkey", command));
            md.append("- Setup: ").append(setup()).append("\n\n");
            md.append(PhaseResult.markdownTableHeader());
            md.append(withL1.markdownRow("GET, near cache on (`" + WITH_L1 + "`)"));
            md.append(without.markdownRow("GET, near cache off (`" + WITHOUT_L1 + "`)"));
            md.append('\n');
            md.append(String.format(
                    Locale.ROOT,
                    "**With / without L1: %.2f** (target: at least 2.00): %s.%n",
                    ratio(),
                    ratio() >= 2.0 ? "target met" : "target not met"));
            return md.toString();
        }

        private String setup() {
            return String.format(
                    Locale.ROOT,
                    "region %s (%s), %d connections, %d hot keys of %d B, warm-up %d s, 2 × %d s per side,"
                            + " alternating; the better phase of each side is reported",
                    region,
                    gatewayUrl,
                    settings.concurrency(),
                    settings.keys(),
                    settings.valueBytes(),
                    settings.warmup().toSeconds(),
                    settings.phase().toSeconds());
        }
    }

    public Run run(String region, String gatewayUrl) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Buffer value = Buffer.buffer(BenchValues.text(settings.valueBytes()));
        List<String> with = paths(WITH_L1, run);
        List<String> without = paths(WITHOUT_L1, run);
        try (HttpLoadGenerator load = new HttpLoadGenerator(URI.create(gatewayUrl), settings.concurrency())) {
            progress("writing " + settings.keys() + " hot keys to " + WITH_L1 + " and " + WITHOUT_L1);
            List<String> all = new ArrayList<>(with);
            all.addAll(without);
            // A cluster that has just started may answer its first writes 503 (topics being created): try again.
            PhaseResult fill = null;
            for (int attempt = 1; attempt <= 5 && (fill == null || fill.succeeded() < all.size()); attempt++) {
                if (fill != null) {
                    progress("writing the hot keys again (" + fill.failures() + ")");
                    Pause.sleep(Duration.ofSeconds(2));
                }
                fill = load.run(
                        "fill",
                        Duration.ofSeconds(30),
                        i -> i < all.size()
                                ? new HttpLoadGenerator.Request(
                                        HttpMethod.PUT,
                                        all.get((int) i) + "?ttl="
                                                + settings.ttl().toSeconds() + "s",
                                        value)
                                : null);
            }
            if (fill.succeeded() < all.size()) {
                throw new IllegalStateException("writing the hot keys failed: " + fill.failures());
            }
            progress("warming up for " + settings.warmup().toSeconds() + " s");
            load.run("warm-up", settings.warmup(), i -> get(i % 2 == 0 ? with : without, i / 2));
            PhaseResult bestWith = null;
            PhaseResult bestWithout = null;
            for (int round = 1; round <= 2; round++) {
                progress("round " + round + " of 2: GET without L1 for "
                        + settings.phase().toSeconds() + " s");
                bestWithout = better(bestWithout, load.run("GET without L1", settings.phase(), i -> get(without, i)));
                progress("round " + round + " of 2: GET with L1 for "
                        + settings.phase().toSeconds() + " s");
                bestWith = better(bestWith, load.run("GET with L1", settings.phase(), i -> get(with, i)));
            }
            return new Run(region, gatewayUrl, settings, bestWith, bestWithout);
        }
    }

    private static PhaseResult better(PhaseResult best, PhaseResult phase) {
        return best == null || phase.throughput() > best.throughput() ? phase : best;
    }

    private static HttpLoadGenerator.Request get(List<String> paths, long i) {
        return new HttpLoadGenerator.Request(HttpMethod.GET, paths.get((int) (i % paths.size())), null);
    }

    private List<String> paths(String namespace, String run) {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < settings.keys(); i++) {
            paths.add("/v1/namespaces/" + namespace + "/keys/hot-" + run + "-" + i);
        }
        return paths;
    }

    private void progress(String line) {
        out.println("[bench] " + line + "...");
        out.flush();
    }
}
