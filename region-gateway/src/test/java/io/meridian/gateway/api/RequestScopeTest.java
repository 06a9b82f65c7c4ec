package io.meridian.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.config.Namespaces;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.metrics.GatewayMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RequestScopeTest {

    @Test
    void writesBeyondTheLimit_areRefusedAtOnce_andASlotFreesWhenAWriteEnds() {
        RequestScope scope = scope(2);
        CompletableFuture<Response> first = new CompletableFuture<>();
        CompletableFuture<Response> second = new CompletableFuture<>();
        UniAssertSubscriber<Response> one = subscribe(scope.write("tweets", "put", () -> pending(first)));
        UniAssertSubscriber<Response> two = subscribe(scope.write("tweets", "put", () -> pending(second)));

        UniAssertSubscriber<Response> refused = subscribe(scope.write("tweets", "put", this::ok));

        GatewayFailure overloaded =
                (GatewayFailure) refused.assertFailedWith(GatewayFailure.class).getFailure();
        assertThat(overloaded.kind()).isEqualTo(GatewayFailure.Kind.UNAVAILABLE);
        assertThat(overloaded.getMessage()).contains("2 writes under way");
        assertThat(scope.writesInFlight()).isEqualTo(2);

        first.complete(Response.ok().build());
        one.assertCompleted();
        second.completeExceptionally(new IllegalStateException("kafka refused"));
        two.assertFailedWith(IllegalStateException.class);
        assertThat(scope.writesInFlight()).isZero();

        subscribe(scope.write("tweets", "put", this::ok)).assertCompleted();
        assertThat(scope.writesInFlight()).isZero();
    }

    @Test
    void readsAreNeverCountedAsWrites() {
        RequestScope scope = scope(1);
        CompletableFuture<Response> write = new CompletableFuture<>();
        subscribe(scope.write("tweets", "put", () -> pending(write)));

        subscribe(scope.answer("tweets", "get", this::ok)).assertCompleted();
        assertThat(scope.writesInFlight()).isEqualTo(1);
    }

    @Test
    void aLimitBelowOne_isRefusedAtStart() {
        assertThatThrownBy(() -> scope(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("meridian.max-writes-in-flight");
    }

    private Uni<Response> ok() {
        return Uni.createFrom().item(Response.ok().build());
    }

    private static Uni<Response> pending(CompletableFuture<Response> answer) {
        return Uni.createFrom().completionStage(answer);
    }

    private static UniAssertSubscriber<Response> subscribe(Uni<Response> uni) {
        return uni.subscribe().withSubscriber(UniAssertSubscriber.create());
    }

    @Test
    void ownFailures_countForDegradation_refusalsAndOtherRegionsFailuresDoNot() {
        assertThat(RequestScope.isOwnFailure(500, new IllegalStateException("bug")))
                .isTrue();
        assertThat(RequestScope.isOwnFailure(503, GatewayFailure.unavailable("redis-unavailable", "down")))
                .isTrue();
        assertThat(RequestScope.isOwnFailure(503, GatewayFailure.unavailable("timeout", "slow")))
                .isTrue();
        assertThat(RequestScope.isOwnFailure(503, GatewayFailure.unavailable("overloaded", "full")))
                .isFalse();
        assertThat(RequestScope.isOwnFailure(503, GatewayFailure.unavailable("home-region-unreachable", "x")))
                .isFalse();
        assertThat(RequestScope.isOwnFailure(404, null)).isFalse();
    }

    @Test
    void aWriteThatTimesOut_saysItsOutcomeIsUnknown_aReadThatTimesOutDoesNot() {
        RequestScope scope = scope(2, Duration.ofMillis(50));

        GatewayFailure write =
                (GatewayFailure) subscribe(scope.write("tweets", "put", () -> pending(new CompletableFuture<>())))
                        .awaitFailure(Duration.ofSeconds(5))
                        .getFailure();
        GatewayFailure read =
                (GatewayFailure) subscribe(scope.answer("tweets", "get", () -> pending(new CompletableFuture<>())))
                        .awaitFailure(Duration.ofSeconds(5))
                        .getFailure();

        assertThat(write.type()).isEqualTo("timeout");
        assertThat(write.kind()).isEqualTo(GatewayFailure.Kind.UNAVAILABLE);
        assertThat(write.outcomeUnknown()).isTrue();
        assertThat(read.type()).isEqualTo("timeout");
        assertThat(read.outcomeUnknown()).isFalse();
        Problem problem = (Problem) new ProblemMapper(config(2, Duration.ofSeconds(2)))
                .meridian(write)
                .getEntity();
        assertThat(problem.outcome()).isEqualTo("unknown");
        assertThat(((Problem) new ProblemMapper(config(2, Duration.ofSeconds(2)))
                                .meridian(read)
                                .getEntity())
                        .outcome())
                .isNull();
    }

    private static RequestScope scope(int maxWrites) {
        return scope(maxWrites, Duration.ofSeconds(2));
    }

    private static RequestScope scope(int maxWrites, Duration timeout) {
        MeridianConfig config = config(maxWrites, timeout);
        return new RequestScope(
                new GatewayMetrics(new SimpleMeterRegistry()), new Namespaces(config), (latency, error) -> {}, config);
    }

    private static MeridianConfig config(int maxWrites, Duration timeout) {
        MeridianConfig config = (MeridianConfig) Proxy.newProxyInstance(
                MeridianConfig.class.getClassLoader(),
                new Class<?>[] {MeridianConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "requestTimeout" -> timeout;
                    case "maxWritesInFlight" -> maxWrites;
                    case "namespaces" -> Map.of();
                    case "retryAfter" -> Duration.ofSeconds(1);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return config;
    }
}
