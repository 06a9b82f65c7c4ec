package io.meridian.infra.bench.profile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns a JFR recording into a flame graph: {@code out.svg}, the same stacks as collapsed text beside it ({@code
 * out.collapsed}, which diffs well between two profiles), and on standard output the frames that weigh most as markdown
 * tables. The recording is one taken with {@code jcmd <pid> JFR.start settings=profile}; only the JDK is needed.
 */
public final class FlameGraphs {

    static final String USAGE =
            "usage: FlameGraphs <in.jfr> <out.svg> [--title T] [--threads REGEX] [--event cpu|alloc] [--min-width PX]"
                    + " [--max-depth N]";

    /** Frames listed in each table of the summary. */
    private static final int TOP = 15;
    /** As wide as {@code flamegraph.pl} draws: wide enough for long Java names, narrow enough for a page. */
    private static final int WIDTH = 1200;

    /**
     * What to draw, from the command line.
     *
     * @param threads the names of the threads to keep, matched whole
     * @param minWidth frames narrower than this many pixels are left out
     * @param maxDepth the most frames kept of a stack; JFR's own limit is 64 unless set otherwise
     */
    record Options(
            Path input, Path svg, String title, Pattern threads, ProfileEvent event, double minWidth, int maxDepth) {

        /** @throws IllegalArgumentException on arguments that do not follow {@link #USAGE} */
        static Options parse(String... args) {
            if (args.length < 2 || args[0].startsWith("--") || args[1].startsWith("--")) {
                throw new IllegalArgumentException("an input recording and an output file are needed");
            }
            Path input = Path.of(args[0]);
            Path svg = Path.of(args[1]);
            String title = null;
            Pattern threads = Pattern.compile(".*");
            ProfileEvent event = ProfileEvent.CPU;
            double minWidth = 0.1;
            int maxDepth = Integer.MAX_VALUE;
            for (int i = 2; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--title" -> title = value;
                    case "--threads" -> threads = regex(value);
                    case "--event" -> event = event(value);
                    case "--min-width" -> minWidth = pixels(value);
                    case "--max-depth" -> maxDepth = depth(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (title == null) {
                title = (event == ProfileEvent.CPU ? "CPU samples" : "Allocated bytes") + ": " + input.getFileName();
            }
            return new Options(input, svg, title, threads, event, minWidth, maxDepth);
        }

        /** @return {@code out.collapsed} for {@code out.svg}, or the SVG's name with {@code .collapsed} appended */
        Path collapsed() {
            String name = svg.getFileName().toString();
            String base = name.toLowerCase(Locale.ROOT).endsWith(".svg") ? name.substring(0, name.length() - 4) : name;
            return svg.resolveSibling(base + ".collapsed");
        }

        private static Pattern regex(String value) {
            try {
                return Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("--threads is not a regular expression: " + e.getMessage(), e);
            }
        }

        private static ProfileEvent event(String value) {
            return switch (value) {
                case "cpu" -> ProfileEvent.CPU;
                case "alloc" -> ProfileEvent.ALLOC;
                default -> throw new IllegalArgumentException("--event is cpu or alloc, not " + value);
            };
        }

        private static int depth(String value) {
            try {
                int depth = Integer.parseInt(value);
                if (depth < 1) {
                    throw new IllegalArgumentException("--max-depth must be at least 1: " + value);
                }
                return depth;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--max-depth needs a whole number, not " + value, e);
            }
        }

        private static double pixels(String value) {
            try {
                double pixels = Double.parseDouble(value);
                if (!(pixels >= 0)) {
                    throw new IllegalArgumentException("--min-width must not be negative: " + value);
                }
                return pixels;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--min-width needs a number of pixels, not " + value, e);
            }
        }
    }

    private FlameGraphs() {}

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** @return the exit status: 0 when drawn, 1 when the recording has no matching samples or cannot be read, 2 on usage */
    public static int run(PrintStream out, PrintStream err, String... args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            CollapsedStacks stacks =
                    new JfrStacks(options.event(), options.threads(), options.maxDepth()).read(options.input());
            if (stacks.total() == 0) {
                err.printf(
                        "%s has no %s events on threads matching %s%n",
                        options.input(), options.event().eventName(), options.threads());
                return 1;
            }
            Files.writeString(
                    options.svg(),
                    FlameGraph.render(stacks, new FlameGraph.Settings(options.title(), WIDTH, options.minWidth())));
            Files.writeString(options.collapsed(), stacks.toText());
            out.printf("%s: %s%n%s: collapsed stacks%n%n", options.svg(), options.title(), options.collapsed());
            out.print(ProfileSummary.of(stacks).markdown(TOP));
            return 0;
        } catch (IOException e) {
            err.println("cannot draw " + options.input() + ": " + e.getMessage());
            return 1;
        }
    }
}
