package io.meridian.infra.drills;

import io.meridian.infra.cluster.ClusterException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code report.md} and {@code report.html} (with a latency and error timeline) of one drill run, and its whole
 * history in {@code history.tsv}, one operation a line, to look into a violation.
 */
final class DrillReport {

    /**
     * The figures of a run.
     *
     * @param figures name and value pairs, in report order
     * @param violations what broke, empty when the drill passed
     * @param ops the whole history: the workload's requests and the final reads
     */
    record Run(
            String drill,
            long seed,
            String fault,
            boolean passed,
            List<String[]> figures,
            List<String> violations,
            List<DrillHistory.Op> ops,
            long injectAtMillis,
            long healAtMillis,
            long endMillis) {}

    private DrillReport() {}

    static Path write(Path dir, Run run) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("report.md"), markdown(run));
            Files.writeString(dir.resolve("report.html"), html(run));
            Files.writeString(dir.resolve("history.tsv"), tsv(run.ops()));
            return dir;
        } catch (IOException e) {
            throw new ClusterException("cannot write the drill report in " + dir + ": " + e.getMessage(), e);
        }
    }

    static String markdown(Run run) {
        StringBuilder md = new StringBuilder();
        md.append("# Drill ")
                .append(run.drill())
                .append(": ")
                .append(run.passed() ? "PASS" : "FAIL")
                .append("\n\n");
        md.append("- Seed: ")
                .append(run.seed())
                .append(" (replay: `./meridian drill ")
                .append(run.drill());
        md.append(" --seed ").append(run.seed()).append("`)\n");
        md.append("- Fault: ").append(run.fault()).append("\n");
        md.append("- Timeline: fault at ").append(seconds(run.injectAtMillis())).append(" s, healed at ");
        md.append(seconds(run.healAtMillis()))
                .append(" s, workload stopped at ")
                .append(seconds(run.endMillis()));
        md.append(
                " s\n- History: `history.tsv`, every request of the workload and the final reads of every key in every"
                        + " region, checked by the history checker (lost writes, real-time order, sessions, value/version)\n");
        md.append("\n| figure | value |\n| --- | ---: |\n");
        for (String[] figure : run.figures()) {
            md.append("| ").append(figure[0]).append(" | ").append(figure[1]).append(" |\n");
        }
        md.append("\n## Violations\n\n");
        if (run.violations().isEmpty()) {
            md.append("None.\n");
        } else {
            run.violations().stream()
                    .limit(50)
                    .forEach(v -> md.append("- ").append(v).append('\n'));
        }
        return md.toString();
    }

    static String html(Run run) {
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Drill ")
                .append(escape(run.drill()))
                .append("</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child{text-align:left}"
                        + "</style></head><body>");
        html.append("<h1>Drill ")
                .append(escape(run.drill()))
                .append(": ")
                .append(run.passed() ? "PASS" : "FAIL")
                .append("</h1>");
        html.append("<p>Seed ")
                .append(run.seed())
                .append(". Fault: ")
                .append(escape(run.fault()))
                .append("</p>");
        html.append(chart(run));
        html.append("<table><tr><th>figure</th><th>value</th></tr>");
        for (String[] figure : run.figures()) {
            html.append("<tr><td>")
                    .append(escape(figure[0]))
                    .append("</td><td>")
                    .append(escape(figure[1]));
            html.append("</td></tr>");
        }
        html.append("</table><h2>Violations</h2>");
        if (run.violations().isEmpty()) {
            html.append("<p>None.</p>");
        } else {
            html.append("<ul>");
            run.violations().stream()
                    .limit(50)
                    .forEach(v -> html.append("<li>").append(escape(v)).append("</li>"));
            html.append("</ul>");
        }
        return html.append("</body></html>\n").toString();
    }

    /** Median latency (line) and failed requests (bars) per half second; the fault window shaded. */
    private static String chart(Run run) {
        int buckets = (int) Math.max(1, run.endMillis() / 500 + 1);
        List<List<Long>> latencies = new ArrayList<>();
        int[] failed = new int[buckets];
        for (int i = 0; i < buckets; i++) {
            latencies.add(new ArrayList<>());
        }
        for (DrillHistory.Op op : run.ops()) {
            if (op.kind() == DrillHistory.Kind.FINAL_READ) {
                continue;
            }
            int bucket = (int) Math.min(buckets - 1, op.atMillis() / 500);
            latencies.get(bucket).add(op.latencyMillis());
            if (op.status() == 0 || op.status() >= 500) {
                failed[bucket]++;
            }
        }
        double[] medians = new double[buckets];
        double maxLatency = 1;
        for (int i = 0; i < buckets; i++) {
            long[] sorted = latencies.get(i).stream()
                    .mapToLong(Long::longValue)
                    .sorted()
                    .toArray();
            medians[i] = sorted.length == 0 ? 0 : sorted[sorted.length / 2];
            maxLatency = Math.max(maxLatency, medians[i]);
        }
        int maxFailed = Math.max(1, Arrays.stream(failed).max().orElse(1));
        int width = 900;
        int height = 240;
        double step = (double) width / buckets;
        StringBuilder svg = new StringBuilder("<svg width=\"" + width + "\" height=\"" + (height + 20)
                + "\" xmlns=\"http://www.w3.org/2000/svg\" style=\"border:1px solid #ccc\">");
        double faultX = run.injectAtMillis() / 500.0 * step;
        double healX = run.healAtMillis() / 500.0 * step;
        svg.append(String.format(
                "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%d\" fill=\"#fde2e2\"/>",
                faultX, Math.max(1, healX - faultX), height));
        for (int i = 0; i < buckets; i++) {
            double barHeight = (double) failed[i] / maxFailed * (height / 2.0);
            svg.append(String.format(
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#d33\"/>",
                    i * step, height - barHeight, Math.max(1, step - 1), barHeight));
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < buckets; i++) {
            line.append(String.format("%.1f,%.1f ", i * step + step / 2, height - medians[i] / maxLatency * height));
        }
        svg.append("<polyline fill=\"none\" stroke=\"#36c\" stroke-width=\"2\" points=\"")
                .append(line)
                .append("\"/>");
        svg.append(String.format(
                "<text x=\"4\" y=\"%d\" font-size=\"12\">blue: median latency (max %.0f ms); red: failed requests"
                        + " per 0.5 s (max %d); shaded: fault</text>",
                height + 15, maxLatency, maxFailed));
        return svg.append("</svg>").toString();
    }

    /** The history, one operation a line, in the order of {@link DrillHistory.Op}'s fields; {@code -} for none. */
    static String tsv(List<DrillHistory.Op> ops) {
        StringBuilder tsv = new StringBuilder("invoke_ms\tcomplete_ms\tclient\tregion\tkind\tkey\tvalue\tif_match"
                + "\tstatus\toutcome\tversion\thome\ttoken_sent\ttoken_received\n");
        for (DrillHistory.Op op : ops) {
            List<Object> fields = Arrays.asList(
                    op.invokeMillis(),
                    op.completeMillis(),
                    op.client(),
                    op.region(),
                    op.kind(),
                    op.key(),
                    op.value(),
                    op.ifMatch(),
                    op.status(),
                    op.outcome(),
                    op.version(),
                    op.home(),
                    op.tokenSent(),
                    op.tokenReceived());
            tsv.append(String.join(
                            "\t",
                            fields.stream()
                                    .map(field -> field == null
                                            ? "-"
                                            : field.toString().replaceAll("\\s", " "))
                                    .toList()))
                    .append('\n');
        }
        return tsv.toString();
    }

    static String seconds(long millis) {
        return String.format("%.1f", millis / 1000.0);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
