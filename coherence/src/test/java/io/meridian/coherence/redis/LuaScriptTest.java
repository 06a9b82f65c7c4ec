package io.meridian.coherence.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class LuaScriptTest {

    @Test
    void load_existingScript_hasSourceAndItsSha1() throws Exception {
        LuaScript script = LuaScript.load("set_if_newer");

        byte[] digest =
                MessageDigest.getInstance("SHA-1").digest(script.source().getBytes(StandardCharsets.UTF_8));
        assertThat(script.name()).isEqualTo("set_if_newer");
        assertThat(script.source()).contains("redis.call('SET'");
        assertThat(script.sha1()).isEqualTo(HexFormat.of().formatHex(digest));
    }

    @Test
    void load_missingScript_throws() {
        assertThatThrownBy(() -> LuaScript.load("no_such_script"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no_such_script.lua");
    }

    @Test
    void constructor_blankSourceOrBadSha1_throws() {
        assertThatThrownBy(() -> new LuaScript("s", " ", "0".repeat(40))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LuaScript("s", "return 1", "abc")).isInstanceOf(IllegalArgumentException.class);
    }
}
