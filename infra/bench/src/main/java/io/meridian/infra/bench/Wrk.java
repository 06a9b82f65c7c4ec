package io.meridian.infra.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One load phase of {@code wrk} (a C load generator, the same for every HTTP peer): {@code concurrency} connections
 * on one thread, each request a random one of {@code paths} (one path: a hot key), with a body of {@code bodyBytes}
 * for a PUT. A Lua script picks the paths and prints the figures wrk keeps (requests, duration, non-2xx answers,
 * socket errors, latency percentiles in microseconds) on one line that {@link #parse} reads.
 */
final class Wrk {

    /** What one phase measured. */
    record Result(
            long requests,
            double seconds,
            long non2xx,
            long socketErrors,
            long p50Micros,
            long p99Micros,
            long p999Micros) {

        double perSecond() {
            return seconds > 0 ? requests / seconds : 0;
        }

        long errors() {
            return non2xx + socketErrors;
        }
    }

    private static final String SCRIPT = """
            local paths = { %s }
            local method = "%s"
            local body = %s
            local headers = { ["Content-Type"] = "text/plain" }
            local n = #paths
            function init(args)
              math.randomseed(os.time())
            end
            function request()
              local path = paths[math.random(n)]
              return wrk.format(method, path, headers, body)
            end
            function done(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("WRK-RESULT %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
                e.status, e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(99),
                latency:percentile(99.9)))
            end
            """;

    private final Path wrk;
    private final Path workDir;

    Wrk(Path wrk, Path workDir) {
        this.wrk = wrk;
        this.workDir = workDir;
    }

    /** Runs one phase against {@code base} and returns what wrk measured. */
    Result run(URI base, String method, List<String> paths, int bodyBytes, int concurrency, Duration length) {
        try {
            Path script = Files.createTempFile(workDir, "wrk-", ".lua");
            Files.writeString(script, script(method, paths, bodyBytes));
            List<String> command = new ArrayList<>(List.of(
                    wrk.toString(),
                    "-t1",
                    "-c" + concurrency,
                    "-d" + Math.max(1, length.toSeconds()) + "s",
                    "--timeout",
                    "5s",
                    "-s",
                    script.toString(),
                    base.toString()));
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(length.toSeconds() + 30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("wrk did not stop after " + length);
            }
            Files.deleteIfExists(script);
            return parse(output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run wrk: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static String script(String method, List<String> paths, int bodyBytes) {
        String quoted = paths.stream().map(Wrk::lua).collect(Collectors.joining(", "));
        String body = bodyBytes > 0 ? lua(BenchValues.text(bodyBytes)) : "nil";
        return SCRIPT.formatted(quoted, method, body);
    }

    /** Reads the script's {@code WRK-RESULT} line. */
    static Result parse(String output) {
        for (String line : output.split("\n")) {
            if (line.startsWith("WRK-RESULT ")) {
                String[] f = line.trim().split(" ");
                return new Result(
                        Long.parseLong(f[1]),
                        Long.parseLong(f[2]) / 1_000_000.0,
                        Long.parseLong(f[3]),
                        Long.parseLong(f[4]),
                        Long.parseLong(f[5]),
                        Long.parseLong(f[6]),
                        Long.parseLong(f[7]));
            }
        }
        throw new IllegalStateException("wrk printed no result:\n" + output);
    }

    private static String lua(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
