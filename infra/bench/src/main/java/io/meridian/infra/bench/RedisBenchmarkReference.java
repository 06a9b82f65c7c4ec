package io.meridian.infra.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference figure: {@code redis-benchmark -t get,set} straight against the region's Redis, on the same machine
 * in the same run, so "gateway / Redis" says how much of the hardware's capacity the gateway delivers. Skipped, with
 * a note, where {@code redis-benchmark} is not installed ({@code apt-get install redis-tools}).
 */
final class RedisBenchmarkReference {

    private static final int REQUESTS = 200_000;
    private static final Pattern LINE =
            Pattern.compile("^(SET|GET): ([0-9.]+) requests per second(?:, p50=([0-9.]+) msec)?");

    /**
     * Requests per second and p50 per command.
     *
     * @param p50Millis NaN where the tool did not print it (versions before 7)
     */
    public record Figure(double throughput, double p50Millis) {}

    /** Figures by command ({@code SET}, {@code GET}) and the exact command line that produced them. */
    public record Figures(Map<String, Figure> byCommand, String command) {}

    private RedisBenchmarkReference() {}

    static Optional<Figures> run(String redisAddress, int concurrency, PrintWriter out) {
        return run(redisAddress, concurrency, 3, out);
    }

    /** The same with values of {@code valueBytes} bytes ({@code -d}; the tool's default is 3). */
    static Optional<Figures> run(String redisAddress, int concurrency, int valueBytes, PrintWriter out) {
        Optional<Path> tool = BenchTools.find("redis-benchmark");
        if (tool.isEmpty()) {
            out.println("[bench] redis-benchmark not on the PATH: no Redis reference figure"
                    + " (apt-get install redis-tools to get one)");
            return Optional.empty();
        }
        String[] hostPort = redisAddress.split(":");
        List<String> command = List.of(
                tool.get().toString(),
                "-h",
                hostPort[0],
                "-p",
                hostPort[1],
                "-t",
                "get,set",
                "-c",
                String.valueOf(concurrency),
                "-n",
                String.valueOf(REQUESTS),
                "-d",
                String.valueOf(valueBytes),
                "-q");
        out.println("[bench] reference: " + String.join(" ", command));
        out.flush();
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                out.println("[bench] redis-benchmark failed: " + output.strip());
                return Optional.empty();
            }
            return Optional.of(new Figures(parse(output), String.join(" ", command.subList(1, command.size()))));
        } catch (IOException e) {
            out.println("[bench] cannot run redis-benchmark: " + e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Parses {@code -q} output; progress lines end in carriage returns, so split on both. */
    static Map<String, Figure> parse(String output) {
        Map<String, Figure> figures = new LinkedHashMap<>();
        for (String line : output.split("[\r\n]+")) {
            Matcher m = LINE.matcher(line.strip());
            if (m.find()) {
                double p50 = m.group(3) == null ? Double.NaN : Double.parseDouble(m.group(3));
                figures.put(m.group(1), new Figure(Double.parseDouble(m.group(2)), p50));
            }
        }
        return figures;
    }
}
