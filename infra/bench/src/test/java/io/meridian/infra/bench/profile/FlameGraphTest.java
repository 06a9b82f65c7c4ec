package io.meridian.infra.bench.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlameGraphTest {

    private static final FlameGraph.Settings SETTINGS = new FlameGraph.Settings("CPU", 1200, 0.1);
    /** The drawing area: the image less 10 px each side. */
    private static final double SPAN = 1180;

    @Test
    void render_drawsEachFrameInProportionToItsWeight() throws Exception {
        CollapsedStacks stacks = stacks("main;get 30", "main;put 10");

        SvgFrames svg = SvgFrames.parse(FlameGraph.render(stacks, SETTINGS));

        assertThat(svg.frame("all").width()).isCloseTo(SPAN, offset(0.01));
        assertThat(svg.frame("main").width()).isCloseTo(SPAN, offset(0.01));
        assertThat(svg.frame("get").width()).isCloseTo(SPAN * 30 / 40, offset(0.01));
        assertThat(svg.frame("put").width()).isCloseTo(SPAN * 10 / 40, offset(0.01));
    }

    @Test
    void render_stacksCalleesOnTheirCallerFromTheBottomUp_siblingsSideBySide() throws Exception {
        CollapsedStacks stacks = stacks("main;get;decode 5", "main;get 25", "main;put 10");

        SvgFrames svg = SvgFrames.parse(FlameGraph.render(stacks, SETTINGS));

        SvgFrames.Frame all = svg.frame("all");
        SvgFrames.Frame main = svg.frame("main");
        SvgFrames.Frame get = svg.frame("get");
        SvgFrames.Frame put = svg.frame("put");
        SvgFrames.Frame decode = svg.frame("decode");
        assertThat(main.y()).isEqualTo(all.y() - 16);
        assertThat(get.y()).isEqualTo(main.y() - 16);
        assertThat(put.y()).isEqualTo(get.y());
        assertThat(decode.y()).isEqualTo(get.y() - 16);
        assertThat(decode.x()).isEqualTo(get.x());
        assertThat(put.x()).isCloseTo(get.x() + get.width(), offset(0.01));
    }

    @Test
    void render_tooltipGivesWeightAndShare() throws Exception {
        CollapsedStacks stacks = stacks("main;get 3000", "main;put 1000");

        SvgFrames svg = SvgFrames.parse(FlameGraph.render(stacks, SETTINGS));

        assertThat(svg.frame("get").tooltip()).isEqualTo("get (3,000 samples, 75.00%)");
        assertThat(svg.frame("all").tooltip()).isEqualTo("all (4,000 samples, 100.00%)");
    }

    @Test
    void render_leavesOutFramesNarrowerThanTheMinimum_withTheirCallees() throws Exception {
        CollapsedStacks stacks = stacks("main;get 10000", "main;rare;rarer 1");

        SvgFrames svg = SvgFrames.parse(FlameGraph.render(stacks, new FlameGraph.Settings("CPU", 1200, 1)));

        assertThat(svg.has("get")).isTrue();
        assertThat(svg.has("rare")).isFalse();
        assertThat(svg.has("rarer")).isFalse();
        assertThat(svg.frame("main").width()).isCloseTo(SPAN, offset(0.01));
    }

    @Test
    void render_escapesNamesAndTitle() throws Exception {
        String name = "Foo.<init>&\"'";
        CollapsedStacks stacks = new CollapsedStacks("samples");
        stacks.add(List.of(name), 1);

        String rendered = FlameGraph.render(stacks, new FlameGraph.Settings("GET <p99> & PUT", 1200, 0.1));
        SvgFrames svg = SvgFrames.parse(rendered);

        assertThat(svg.frame(name).label()).contains(name);
        assertThat(svg.document().getElementsByTagName("text").item(0).getTextContent())
                .isEqualTo("GET <p99> & PUT");
    }

    @Test
    void render_cutsLabelsToTheirBox_andOmitsThemWhereThreeCharactersDoNotFit() throws Exception {
        String wide = "io.meridian.gateway.cache.ReadPath.get";
        String narrow = "io.meridian.gateway.cache.WritePath.put";
        CollapsedStacks stacks = stacks(wide + " 200", narrow + " 13", "io.meridian.Tiny.z 1");

        SvgFrames svg = SvgFrames.parse(FlameGraph.render(stacks, SETTINGS));

        assertThat(svg.frame(wide).label()).contains(wide);
        String cut = svg.frame(narrow).label().orElseThrow();
        assertThat(cut).endsWith("..").hasSizeLessThan(narrow.length());
        assertThat(narrow).startsWith(cut.substring(0, cut.length() - 2));
        assertThat(svg.frame("io.meridian.Tiny.z").label()).isEmpty();
    }

    @Test
    void fit_keepsWhatFitsAndMarksTheCut() {
        assertThat(FlameGraph.fit("abcdefghij", 6 + 7.08 * 10)).isEqualTo("abcdefghij");
        assertThat(FlameGraph.fit("abcdefghij", 6 + 7.08 * 6)).isEqualTo("abcd..");
        assertThat(FlameGraph.fit("abcdefghij", 6 + 7.08 * 2)).isEmpty();
    }

    @Test
    void render_colourDependsOnTheFrameNameOnly_andIsWarm() throws Exception {
        SvgFrames one = SvgFrames.parse(FlameGraph.render(stacks("main;get 3", "main;put 1"), SETTINGS));
        SvgFrames other = SvgFrames.parse(FlameGraph.render(stacks("put 9", "delete 1"), SETTINGS));

        assertThat(one.frame("put").fill()).isEqualTo(other.frame("put").fill());
        assertThat(one.frame("put").fill()).isNotEqualTo(one.frame("get").fill());
        for (SvgFrames.Frame frame : one.frames()) {
            String[] rgb = frame.fill().replaceAll("[^0-9,]", "").split(",");
            assertThat(Integer.parseInt(rgb[0])).isBetween(205, 255);
            assertThat(Integer.parseInt(rgb[1])).isBetween(0, 230);
            assertThat(Integer.parseInt(rgb[2])).isBetween(0, 55);
        }
    }

    @Test
    void render_withoutStacks_isAnEmptyButValidGraph() throws Exception {
        SvgFrames svg = SvgFrames.parse(FlameGraph.render(new CollapsedStacks("samples"), SETTINGS));

        assertThat(svg.frames()).isEmpty();
    }

    /** Stacks from collapsed lines, {@code a;b;c 42}. */
    static CollapsedStacks stacks(String... lines) {
        CollapsedStacks stacks = new CollapsedStacks("samples");
        for (String line : lines) {
            int space = line.lastIndexOf(' ');
            stacks.add(List.of(line.substring(0, space).split(";")), Long.parseLong(line.substring(space + 1)));
        }
        return stacks;
    }
}
