package io.meridian.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EtagsTest {

    private static final String VERSION = "0123456789abcdef0123";

    @Test
    void matches_strongWeakListsAndStar() {
        assertThat(Etags.matches("\"" + VERSION + "\"", VERSION)).isTrue();
        assertThat(Etags.matches("W/\"" + VERSION + "\"", VERSION)).isTrue();
        assertThat(Etags.matches("\"other\", \"" + VERSION + "\"", VERSION)).isTrue();
        assertThat(Etags.matches("*", VERSION)).isTrue();
    }

    @Test
    void matches_nothingForOtherTagsOrNoHeader() {
        assertThat(Etags.matches("\"00000000000000000000\"", VERSION)).isFalse();
        assertThat(Etags.matches(null, VERSION)).isFalse();
        assertThat(Etags.matches(" ", VERSION)).isFalse();
    }
}
