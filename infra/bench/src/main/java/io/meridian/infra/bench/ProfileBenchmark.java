package io.meridian.infra.bench;

import io.meridian.infra.bench.profile.FlameGraphs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./meridian bench profile}: where one gateway spends CPU on a GET through Redis and on a PUT of a key homed
 * in its region. Under {@code wrk} load (the same as {@code bench peers}), the gateway records itself with JFR ({@code
 * jcmd <pid> JFR.start settings=profile}); each recording becomes a flame graph (SVG), its collapsed stacks and the
 * frames that weigh most, drawn by {@link FlameGraphs}.
 */
public final class ProfileBenchmark {

    /** How a run is shaped. */
    public record Settings(
            Duration warmup,
            Duration phase,
            int concurrency,
            int keys,
            int valueBytes,
            String namespace,
            String label) {}

    /** One profiled path: its flame graph and the summary tables of its frames. */
    public record Profile(String path, Path svg, String summary) {}

    /** Frames narrower than this many pixels are left out: keeps a graph to a few hundred KiB. */
    private static final String MIN_WIDTH = "0.5";

    private final Settings settings;
    private final PrintWriter out;

    public ProfileBenchmark(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /**
     * @param gatewayPid the gateway's process, to record with {@code jcmd}
     * @param outputDir where the flame graphs go
     */
    public List<Profile> run(
            String region, List<String> regions, String gateway, long gatewayPid, Path workDir, Path outputDir) {
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + workDir, e);
        }
        Wrk wrk = new Wrk(BenchTools.require("wrk", "wrk", out), workDir);
        URI base = URI.create(gateway);
        HomeKeys keys = new HomeKeys("profile-" + UUID.randomUUID().toString().substring(0, 6) + "-", region, regions);
        List<String> gets = new ArrayList<>();
        List<String> puts = new ArrayList<>();
        for (int i = 0; i < settings.keys(); i++) {
            String path = "/v1/namespaces/" + settings.namespace() + "/keys/" + keys.next();
            gets.add(path);
            puts.add(path + "?ttl=3600s");
        }
        PeersBenchmark.fill(base, gets, settings.valueBytes(), settings.concurrency());
        progress("warming up for " + settings.warmup().toSeconds() + " s (GET, then PUT)");
        wrk.run(base, "GET", gets, 0, settings.concurrency(), settings.warmup());
        wrk.run(base, "PUT", puts, settings.valueBytes(), settings.concurrency(), settings.warmup());
        Map<String, List<String>> paths = new LinkedHashMap<>();
        paths.put("get", gets);
        paths.put("put", puts);
        List<Profile> profiles = new ArrayList<>();
        try {
            Files.createDirectories(outputDir);
            for (Map.Entry<String, List<String>> path : paths.entrySet()) {
                String name = path.getKey();
                Path jfr = workDir.resolve("profile-" + name + ".jfr");
                Files.deleteIfExists(jfr);
                progress("recording the gateway under " + name.toUpperCase() + " load for "
                        + settings.phase().toSeconds() + " s");
                jcmd(gatewayPid, "JFR.start", "name=meridian-" + name, "settings=profile", "filename=" + jfr);
                Wrk.Result result = wrk.run(
                        base,
                        name.toUpperCase(),
                        path.getValue(),
                        name.equals("put") ? settings.valueBytes() : 0,
                        settings.concurrency(),
                        settings.phase());
                jcmd(gatewayPid, "JFR.stop", "name=meridian-" + name);
                Path svg = outputDir.resolve(settings.label() + "-" + name + ".svg");
                String title = String.format(
                        java.util.Locale.ROOT,
                        "gateway CPU, %s %s: %s, %.0f req/s",
                        name.toUpperCase(),
                        name.equals("get") ? "of random keys through Redis" : "of keys homed here",
                        settings.label(),
                        result.perSecond());
                profiles.add(new Profile(name.toUpperCase(), svg, draw(jfr, svg, title)));
                // The collapsed stacks (megabytes of text) stay with the bench's files, not beside the graph.
                Path collapsed = outputDir.resolve(settings.label() + "-" + name + ".collapsed");
                Files.move(
                        collapsed,
                        workDir.resolve(collapsed.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the profiles", e);
        }
        return profiles;
    }

    private static String draw(Path jfr, Path svg, String title) {
        ByteArrayOutputStream summary = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = FlameGraphs.run(
                new PrintStream(summary, true, StandardCharsets.UTF_8),
                new PrintStream(errors, true, StandardCharsets.UTF_8),
                jfr.toString(),
                svg.toString(),
                "--title",
                title,
                "--min-width",
                MIN_WIDTH);
        if (status != 0) {
            throw new IllegalStateException("cannot draw " + jfr + ": "
                    + errors.toString(StandardCharsets.UTF_8).trim());
        }
        String text = summary.toString(StandardCharsets.UTF_8);
        // The first lines name the files written; the tables follow.
        return text.substring(text.indexOf("\n\n") + 2);
    }

    private static void jcmd(long pid, String... command) {
        List<String> line = new ArrayList<>();
        line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        line.add(Long.toString(pid));
        line.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + output.trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run jcmd", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A section of {@code docs/benchmarks.md}: the flame graphs, linked, and the top frames of each. */
    public static String markdownSection(
            io.meridian.infra.cluster.MachineDescription machine,
            String command,
            Settings settings,
            List<Profile> profiles,
            Path docs) {
        StringBuilder md = new StringBuilder(BenchmarkLog.sectionHeader(machine, "profile", command));
        md.append("- Setup: one gateway under `wrk -t1 -c")
                .append(settings.concurrency())
                .append("`, ")
                .append(settings.keys())
                .append(" keys of ")
                .append(settings.valueBytes())
                .append(" B in namespace `")
                .append(settings.namespace())
                .append("` (no near cache); warm-up ")
                .append(settings.warmup().toSeconds())
                .append(" s per path; JFR `settings=profile` for ")
                .append(settings.phase().toSeconds())
                .append(" s per path, every thread of the gateway; build `")
                .append(settings.label())
                .append("`\n");
        for (Profile profile : profiles) {
            md.append("\n### ")
                    .append(profile.path())
                    .append(" (")
                    .append(settings.label())
                    .append(")\n\n[flame graph](")
                    .append(docs.relativize(profile.svg()).toString().replace('\\', '/'))
                    .append(")\n\n")
                    .append(profile.summary().replace("\n\n\n", "\n\n"));
        }
        return md.toString();
    }

    private void progress(String line) {
        out.println("[bench] " + line + "...");
        out.flush();
    }
}
