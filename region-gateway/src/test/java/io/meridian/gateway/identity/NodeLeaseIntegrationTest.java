package io.meridian.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meridian.gateway.GatewayTest;
import io.meridian.gateway.failure.GatewayFailure;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Node numbers leased from a real Redis: gateways of one region get different numbers without configuration, a
 * configured number held by a live gateway refuses the start, a number that was free is used only after the fresh
 * wait, and a gateway whose lease Redis lost (as in a flush) and another took moves to a new number.
 */
@GatewayTest
class NodeLeaseIntegrationTest {

    private static final Duration TTL = Duration.ofMillis(900);
    private static final Duration RENEW = Duration.ofMillis(150);
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @Inject
    Redis redis;

    @Inject
    Vertx vertx;

    private final String region = "lease-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<NodeLease> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(lease -> lease.stop(null));
    }

    @Test
    void gatewaysOfOneRegion_leaseDifferentNumbers() {
        NodeLease first = start(Optional.empty(), Duration.ZERO);
        NodeLease second = start(Optional.empty(), Duration.ZERO);
        NodeLease third = start(Optional.empty(), Duration.ZERO);

        assertThat(List.of(first.nodeId(), second.nodeId(), third.nodeId())).containsExactly(0, 1, 2);
    }

    @Test
    void aConfiguredNumberHeldByALiveGateway_refusesTheStart() {
        start(Optional.of(7), Duration.ZERO);
        NodeLease second = lease(Optional.of(7), Duration.ZERO);

        assertThatThrownBy(() -> second.start(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("meridian.node-id=7 is in use by another live gateway of region " + region);
    }

    @Test
    void aConfiguredNumberOfAGatewayThatDied_isTakenOnceItsLeaseExpires() {
        NodeLease dead = start(Optional.of(3), Duration.ZERO);
        dead.abandon();

        NodeLease next = start(Optional.of(3), Duration.ZERO);

        assertThat(next.nodeId()).isEqualTo(3);
    }

    @Test
    void aNumberThatWasFree_isUsedOnlyAfterTheFreshWait() {
        NodeLease lease = start(Optional.empty(), Duration.ofMillis(700));

        assertThatThrownBy(lease::nodeId)
                .isInstanceOfSatisfying(
                        GatewayFailure.class, e -> assertThat(e.type()).isEqualTo("node-identity"));
        assertThat(lease.ready()).isFalse();
        await().atMost(WITHIN).until(lease::ready);
        assertThat(lease.nodeId()).isZero();
    }

    @Test
    void aLeaseLostWithRedisData_andTakenByAnother_movesTheFormerHolderToANewNumber() throws Exception {
        NodeLease first = start(Optional.empty(), Duration.ZERO);
        assertThat(first.nodeId()).isZero();

        // Redis loses the lease (a flush, a restart without persistence) and another gateway starts at once.
        redis.send(Request.cmd(Command.DEL).arg("meridian:node:" + region + ":0"))
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        NodeLease second = start(Optional.empty(), TTL);

        await().atMost(WITHIN).until(() -> first.held() != 0 && first.ready());
        assertThat(first.nodeId()).isNotZero();
        await().atMost(WITHIN).until(second::ready);
        assertThat(second.nodeId()).isZero();
    }

    private NodeLease start(Optional<Integer> configured, Duration freshWait) {
        NodeLease lease = lease(configured, freshWait);
        lease.start(null);
        started.add(lease);
        return lease;
    }

    private NodeLease lease(Optional<Integer> configured, Duration freshWait) {
        return new NodeLease(redis, vertx, region, configured, TTL, RENEW, freshWait, System::nanoTime);
    }
}
