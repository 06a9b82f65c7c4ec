package io.meridian.coherence.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScriptRunnerTest {

    @Test
    void isNoScript_redisNoScriptReply_isTrue() {
        assertThat(ScriptRunner.isNoScript(new RuntimeException("NOSCRIPT No matching script. Please use EVAL.")))
                .isTrue();
    }

    @Test
    void isNoScript_otherRedisError_isFalse() {
        assertThat(ScriptRunner.isNoScript(new RuntimeException("WRONGTYPE Operation against a key")))
                .isFalse();
    }

    @Test
    void isNoScript_failureWithoutMessage_isFalse() {
        assertThat(ScriptRunner.isNoScript(new RuntimeException())).isFalse();
    }
}
