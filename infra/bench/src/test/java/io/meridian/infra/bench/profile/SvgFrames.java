package io.meridian.infra.bench.profile;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The frames of a rendered flame graph read back with the JDK's XML parser, which also proves the SVG well-formed. */
record SvgFrames(Document document, List<Frame> frames) {

    /** One {@code <g>}: its tooltip, its box and its label, if drawn. */
    record Frame(String tooltip, double x, double y, double width, String fill, Optional<String> label) {

        String name() {
            return tooltip.substring(0, tooltip.lastIndexOf(" ("));
        }
    }

    static SvgFrames parse(String svg) throws Exception {
        Document document = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        List<Frame> frames = new ArrayList<>();
        NodeList groups = document.getElementsByTagName("g");
        for (int i = 0; i < groups.getLength(); i++) {
            Element group = (Element) groups.item(i);
            Element rect = (Element) group.getElementsByTagName("rect").item(0);
            NodeList text = group.getElementsByTagName("text");
            frames.add(new Frame(
                    group.getElementsByTagName("title").item(0).getTextContent(),
                    Double.parseDouble(rect.getAttribute("x")),
                    Double.parseDouble(rect.getAttribute("y")),
                    Double.parseDouble(rect.getAttribute("width")),
                    rect.getAttribute("fill"),
                    text.getLength() == 0
                            ? Optional.empty()
                            : Optional.of(text.item(0).getTextContent())));
        }
        return new SvgFrames(document, frames);
    }

    Frame frame(String name) {
        return frames.stream()
                .filter(frame -> frame.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no frame " + name + " in " + frames));
    }

    boolean has(String name) {
        return frames.stream().anyMatch(frame -> frame.name().equals(name));
    }
}
