package io.meridian.infra.bench.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Draws {@link CollapsedStacks} as a self-contained SVG flame graph, after Brendan Gregg's {@code flamegraph.pl}
 * (https://www.brendangregg.com/flamegraphs.html): the root at the bottom, each frame above its caller, its width in
 * proportion to its weight, siblings in alphabetical order (so the x axis is not time). Hovering a frame shows its name,
 * weight and share of the whole; there is no script, so the graph also renders as an image in a document.
 *
 * <p>A frame's colour is a warm tone hashed from its name alone, so a method has the same colour in every graph and two
 * graphs can be compared by eye. Frames narrower than {@link Settings#minWidth()} pixels are left out with everything
 * above them: they could not be read, and omitting them keeps the file small.
 */
final class FlameGraph {

    private static final int FRAME_HEIGHT = 16;
    private static final int FONT_SIZE = 12;
    /** Verdana's average glyph width relative to its size, the estimate {@code flamegraph.pl} fits labels with. */
    private static final double CHAR_WIDTH = 0.59 * FONT_SIZE;

    private static final int PAD_SIDE = 10;
    private static final int PAD_TOP = 40;
    private static final int PAD_BOTTOM = 10;

    /**
     * @param title the heading drawn above the graph
     * @param width the image width in pixels
     * @param minWidth frames narrower than this many pixels are not drawn
     */
    record Settings(String title, int width, double minWidth) {
        Settings {
            if (width <= 2 * PAD_SIDE) {
                throw new IllegalArgumentException("width must exceed " + 2 * PAD_SIDE + " px: " + width);
            }
            if (minWidth < 0) {
                throw new IllegalArgumentException("minWidth must not be negative: " + minWidth);
            }
        }
    }

    /** A frame as drawn: its box spans {@code [x, x + width)} at {@code depth} frames above the root. */
    private record Box(String name, long weight, double x, double width, int depth) {}

    private FlameGraph() {}

    /** @return the SVG document */
    static String render(CollapsedStacks stacks, Settings settings) {
        List<Box> boxes = layout(stacks, settings);
        int maxDepth = boxes.stream().mapToInt(Box::depth).max().orElse(0);
        int height = PAD_TOP + (maxDepth + 1) * FRAME_HEIGHT + PAD_BOTTOM;
        StringBuilder svg = new StringBuilder(256 + 256 * boxes.size());
        header(svg, settings, height);
        for (Box box : boxes) {
            frame(svg, box, stacks, height);
        }
        return svg.append("</svg>\n").toString();
    }

    private static List<Box> layout(CollapsedStacks stacks, Settings settings) {
        Node root = new Node("all");
        stacks.weights().forEach(root::add);
        List<Box> boxes = new ArrayList<>();
        if (root.weight > 0) {
            double pixelsPerUnit = (settings.width() - 2.0 * PAD_SIDE) / root.weight;
            place(root, PAD_SIDE, 0, pixelsPerUnit, settings.minWidth(), boxes);
        }
        return boxes;
    }

    private static void place(Node node, double x, int depth, double pixelsPerUnit, double minWidth, List<Box> boxes) {
        double width = node.weight * pixelsPerUnit;
        if (width < minWidth) {
            return;
        }
        boxes.add(new Box(node.name, node.weight, x, width, depth));
        double childX = x;
        for (Node child : node.children.values()) {
            place(child, childX, depth + 1, pixelsPerUnit, minWidth, boxes);
            childX += child.weight * pixelsPerUnit;
        }
    }

    private static void header(StringBuilder svg, Settings settings, int height) {
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n")
                .append(String.format(
                        Locale.ROOT,
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\""
                                + " viewBox=\"0 0 %d %d\" font-family=\"Verdana, sans-serif\" font-size=\"%d\">\n",
                        settings.width(),
                        height,
                        settings.width(),
                        height,
                        FONT_SIZE))
                .append("<defs><linearGradient id=\"background\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\">")
                .append("<stop offset=\"5%\" stop-color=\"#eeeeee\"/><stop offset=\"95%\" stop-color=\"#eeeeb0\"/>")
                .append("</linearGradient></defs>\n")
                .append("<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"url(#background)\"/>\n")
                .append(String.format(
                        Locale.ROOT,
                        "<text x=\"%d\" y=\"24\" text-anchor=\"middle\" font-size=\"17\">%s</text>\n",
                        settings.width() / 2,
                        escape(settings.title())));
    }

    private static void frame(StringBuilder svg, Box box, CollapsedStacks stacks, int height) {
        double y = height - PAD_BOTTOM - (box.depth() + 1) * FRAME_HEIGHT;
        svg.append(String.format(
                Locale.ROOT,
                "<g><title>%s (%,d %s, %.2f%%)</title>"
                        + "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" rx=\"2\" fill=\"%s\"/>",
                escape(box.name()),
                box.weight(),
                stacks.unit(),
                100.0 * box.weight() / stacks.total(),
                box.x(),
                y,
                box.width(),
                FRAME_HEIGHT - 1,
                colour(box.name())));
        String label = fit(box.name(), box.width());
        if (!label.isEmpty()) {
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.2f\" y=\"%.1f\">%s</text>",
                    box.x() + 3,
                    y + FRAME_HEIGHT - 4.5,
                    escape(label)));
        }
        svg.append("</g>\n");
    }

    /** @return the name cut to the box with a trailing {@code ..}, or nothing when not even three characters fit */
    static String fit(String name, double width) {
        int chars = (int) ((width - 6) / CHAR_WIDTH);
        if (chars < 3) {
            return "";
        }
        return name.length() <= chars ? name : name.substring(0, chars - 2) + "..";
    }

    /**
     * {@code flamegraph.pl}'s "hot" palette (red 205-255, green 0-230, blue 0-55) indexed by a hash of the name. The
     * hash is {@link String#hashCode()}, whose value the Java specification fixes, so colours are the same on any JVM;
     * its bits are mixed (MurmurHash3's finaliser) because names that differ in their last characters would otherwise
     * get nearly the same colour.
     */
    static String colour(String name) {
        int h = name.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        int red = 205 + (h & 0xff) * 50 / 255;
        int green = ((h >>> 8) & 0xff) * 230 / 255;
        int blue = ((h >>> 16) & 0xff) * 55 / 255;
        return String.format(Locale.ROOT, "rgb(%d,%d,%d)", red, green, blue);
    }

    /** @return the text safe in XML content and attribute values; characters XML 1.0 cannot carry become {@code ?} */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '?' : c);
            }
        }
        return out.toString();
    }

    /** A frame in the merged call tree: the weight of every stack through it, and its callees by name. */
    private static final class Node {
        private final String name;
        private final Map<String, Node> children = new TreeMap<>();
        private long weight;

        private Node(String name) {
            this.name = name;
        }

        private void add(List<String> rootFirst, long stackWeight) {
            Node node = this;
            node.weight += stackWeight;
            for (String frame : rootFirst) {
                node = node.children.computeIfAbsent(frame, Node::new);
                node.weight += stackWeight;
            }
        }
    }
}
