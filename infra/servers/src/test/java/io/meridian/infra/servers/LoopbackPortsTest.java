package io.meridian.infra.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

    @Test
    void freePorts_areDistinctAndClosedAgain() {
        int[] ports = LoopbackPorts.free(8);

        assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(8);
        assertThat(Arrays.stream(ports).filter(LoopbackPorts::isOpen)).isEmpty();
    }

    @Test
    void freePorts_lieBelowTheEphemeralRange_soOutgoingConnectionsCannotTakeThem() {
        int[] ports = LoopbackPorts.free(50);

        assertThat(Arrays.stream(ports).min().orElseThrow()).isGreaterThanOrEqualTo(LoopbackPorts.LOWEST);
        assertThat(Arrays.stream(ports).max().orElseThrow()).isLessThan(LoopbackPorts.ephemeralStart());
    }

    @Test
    void startOnFreePorts_triesAgainAfterAFailedStart() {
        AtomicInteger attempts = new AtomicInteger();

        String started = LoopbackPorts.startOnFreePorts("server", () -> {
            if (attempts.incrementAndGet() < 2) {
                throw new ServerException("port taken");
            }
            return "up";
        });

        assertThat(started).isEqualTo("up");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void startOnFreePorts_givesUpWithTheLastFailure() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> LoopbackPorts.startOnFreePorts("server", () -> {
                    throw new ServerException("failure " + attempts.incrementAndGet());
                }))
                .isInstanceOf(ServerException.class)
                .hasMessage("failure " + LoopbackPorts.START_ATTEMPTS);
        assertThat(attempts).hasValue(LoopbackPorts.START_ATTEMPTS);
    }
}
