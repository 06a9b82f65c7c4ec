package io.meridian.gateway.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PathSegmentsTest {

    @Test
    void encode_escapesReservedCharactersAndUtf8() {
        assertThat(PathSegments.encode("user:42/a b?c#d%")).isEqualTo("user:42%2Fa%20b%3Fc%23d%25");
        assertThat(PathSegments.encode("ключ")).isEqualTo("%D0%BA%D0%BB%D1%8E%D1%87");
    }

    @Property
    void encode_isASinglePathSegmentThatDecodesBack(@ForAll String key) {
        String encoded = PathSegments.encode(key);

        assertThat(encoded).doesNotContain("/", "?", "#", " ");
        URI.create("http://h/" + encoded);
        assertThat(URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8))
                .isEqualTo(new String(key.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }
}
