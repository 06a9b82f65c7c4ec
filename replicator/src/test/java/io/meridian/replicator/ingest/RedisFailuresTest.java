package io.meridian.replicator.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import java.net.ConnectException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which Redis failures are retried and which dead-letter the event: a dead letter is for the event's own fault only. */
class RedisFailuresTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Connection refused: /127.0.0.1:6379",
                "Connection is closed",
                "Timeout",
                "LOADING Redis is loading the dataset in memory",
                "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
                "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
                "READONLY You can't write against a read only replica.",
                "TRYAGAIN Multiple keys request during rehashing of slot",
                "CLUSTERDOWN The cluster is down",
                "MOVED 3999 127.0.0.1:6381",
                "OOM command not allowed when used memory > 'maxmemory'.",
                "ERR max number of clients reached",
                "ERR Error running script (call to f_1a2b): @user_script:12: -READONLY You can't write against a read"
                        + " only replica."
            })
    void passingFailures_areRetried(String reply) {
        assertThat(RedisFailures.isTransient(new VertxException(reply, true))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "WRONGTYPE Operation against a key holding the wrong kind of value",
                "ERR Error running script (call to f_1a2b): @user_script:3: bad stored header",
                "ERR unknown command 'FOO'",
                "ERR TASK list malformed"
            })
    void deterministicRefusals_areDeadLettered(String reply) {
        assertThat(RedisFailures.isTransient(new VertxException(reply, true))).isFalse();
    }

    @org.junit.jupiter.api.Test
    void undecodableEventsAreDeadLettered_andFailuresWithoutAReplyAreRetried() {
        assertThat(RedisFailures.isTransient(new IllegalArgumentException("bad event header")))
                .isFalse();
        assertThat(RedisFailures.isTransient(new ConnectException())).isTrue();
    }
}
