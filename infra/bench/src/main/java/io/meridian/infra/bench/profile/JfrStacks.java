package io.meridian.infra.bench.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a JFR recording into {@link CollapsedStacks}: the stacks of one {@link ProfileEvent}, of the threads whose name
 * matches a pattern (the gateway's {@code vert.x-eventloop-thread-N} and {@code executor-thread-N}, say, not the
 * JIT or GC threads of the JVM).
 *
 * <p>A frame is labelled {@code package.Class.method}. Lambdas and other hidden classes carry a per-run number and
 * address in their names ({@code Foo$$Lambda$291+0x00007ff770150a08.996125997}); these are dropped ({@code
 * Foo$$Lambda}) so that the same code gets the same frame in every recording. An allocation sample gets the allocated
 * type as its leaf frame ({@code new byte[]}), so its flame graph says what is allocated as well as where.
 *
 * <p>JFR records at most {@code stackdepth} frames of a stack (64 unless the JVM runs with {@code
 * -XX:FlightRecorderOptions=stackdepth=N}), keeping those nearest the leaf. Such a stack, or one longer than this
 * reader's own maximum depth, has lost its root: it is rooted at a {@value #TRUNCATED} frame rather than mixed with
 * complete stacks that start at {@code Thread.run}.
 */
final class JfrStacks {

    /** The root frame of a stack whose outermost frames were cut off. */
    static final String TRUNCATED = "[truncated]";

    private static final Pattern LAMBDA = Pattern.compile("\\$\\$Lambda.*$");
    /** JFR writes a hidden class as {@code name+0xaddress.hash}; {@code Class.getName()} as {@code name/0xaddress}. */
    private static final Pattern HIDDEN = Pattern.compile("[/+]0x\\p{XDigit}+(\\.\\d+)?$");

    private final ProfileEvent event;
    private final Pattern threads;
    private final int maxDepth;

    /**
     * @param threads the names of the threads to keep, matched whole
     * @param maxDepth the most frames kept of a stack, those nearest the leaf
     */
    JfrStacks(ProfileEvent event, Pattern threads, int maxDepth) {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1: " + maxDepth);
        }
        this.event = event;
        this.threads = threads;
        this.maxDepth = maxDepth;
    }

    /** @return the stacks of the recording's {@link ProfileEvent} events on the matching threads */
    CollapsedStacks read(Path recording) throws IOException {
        CollapsedStacks stacks = new CollapsedStacks(event.unit());
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent sample = file.readEvent();
                if (sample.getEventType().getName().equals(event.eventName())
                        && sample.getStackTrace() != null
                        && threads.matcher(threadName(event.thread(sample))).matches()) {
                    stacks.add(rootFirst(sample), event.weight(sample));
                }
            }
        }
        return stacks;
    }

    private List<String> rootFirst(RecordedEvent sample) {
        RecordedStackTrace trace = sample.getStackTrace();
        List<RecordedFrame> leafFirst = trace.getFrames();
        int depth = Math.min(leafFirst.size(), maxDepth);
        List<String> frames = new ArrayList<>(depth + 2);
        if (trace.isTruncated() || leafFirst.size() > maxDepth) {
            frames.add(TRUNCATED);
        }
        for (int i = depth - 1; i >= 0; i--) {
            frames.add(label(leafFirst.get(i).getMethod()));
        }
        if (event == ProfileEvent.ALLOC) {
            frames.add("new " + typeName(sample.getClass("objectClass").getName()));
        }
        return frames;
    }

    private static String threadName(RecordedThread thread) {
        if (thread == null) {
            return "";
        }
        String name = thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
        return name == null ? "" : name;
    }

    private static String label(RecordedMethod method) {
        return label(method.getType().getName(), method.getName());
    }

    /** @return {@code package.Class.method}, without the run-specific part of a lambda's or hidden class's name */
    static String label(String className, String method) {
        return stableName(className) + "." + method;
    }

    private static String stableName(String className) {
        String lambda = LAMBDA.matcher(className).replaceFirst("\\$\\$Lambda");
        return HIDDEN.matcher(lambda).replaceFirst("");
    }

    /**
     * @return a JFR class name as Java source writes it: {@code [B} is {@code byte[]}, {@code [[Ljava.lang.String;} is
     *     {@code java.lang.String[][]}
     */
    static String typeName(String jfrName) {
        int dimensions = 0;
        while (dimensions < jfrName.length() && jfrName.charAt(dimensions) == '[') {
            dimensions++;
        }
        if (dimensions == 0) {
            return stableName(jfrName);
        }
        String element = jfrName.substring(dimensions);
        String base = switch (element) {
            case "B" -> "byte";
            case "C" -> "char";
            case "D" -> "double";
            case "F" -> "float";
            case "I" -> "int";
            case "J" -> "long";
            case "S" -> "short";
            case "Z" -> "boolean";
            default ->
                element.startsWith("L") && element.endsWith(";") ? element.substring(1, element.length() - 1) : element;
        };
        return base + "[]".repeat(dimensions);
    }
}
