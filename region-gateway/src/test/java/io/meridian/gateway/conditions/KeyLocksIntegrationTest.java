package io.meridian.gateway.conditions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meridian.gateway.GatewayTest;
import io.meridian.gateway.UniqueKeys;
import io.meridian.gateway.failure.GatewayFailure;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A conditional write whose request times out keeps the key's lock until its log append is decided: the next
 * conditional write of the key waits for it (409 if it cannot), and is decided against a state that includes it.
 */
@GatewayTest
class KeyLocksIntegrationTest {

    private static final Duration WITHIN = Duration.ofSeconds(10);

    @Inject
    KeyLocks locks;

    @Inject
    Redis redis;

    @Test
    void aCallerThatGivesUp_leavesTheLockHeldUntilItsWorkIsDecided() throws Exception {
        String key = UniqueKeys.key("lock");
        CompletableFuture<String> append = new CompletableFuture<>();
        Cancellable request = locks.withLock(
                        "tweets",
                        key,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(1),
                        () -> Uni.createFrom().completionStage(append))
                .subscribe()
                .with(item -> {}, failure -> {});
        await().atMost(WITHIN).until(() -> lockExists(key));

        request.cancel(); // what the request timeout does to the write it waits on

        assertThatThrownBy(() -> locks.withLock(
                                "tweets",
                                key,
                                Duration.ofSeconds(30),
                                Duration.ofMillis(300),
                                () -> Uni.createFrom().item("second"))
                        .await()
                        .atMost(WITHIN))
                .isInstanceOfSatisfying(
                        GatewayFailure.class,
                        conflict -> assertThat(conflict.kind()).isEqualTo(GatewayFailure.Kind.CONFLICT));
        assertThat(lockExists(key)).as("held while the append is undecided").isTrue();

        append.complete("appended");

        await().atMost(WITHIN).until(() -> !lockExists(key));
        assertThat(locks.withLock(
                                "tweets",
                                key,
                                Duration.ofSeconds(30),
                                Duration.ofSeconds(1),
                                () -> Uni.createFrom().item("third"))
                        .await()
                        .atMost(WITHIN))
                .isEqualTo("third");
    }

    private boolean lockExists(String key) throws Exception {
        return redis.send(Request.cmd(Command.EXISTS).arg("meridian:cas:tweets:" + key))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(5, TimeUnit.SECONDS)
                        .toInteger()
                == 1;
    }
}
