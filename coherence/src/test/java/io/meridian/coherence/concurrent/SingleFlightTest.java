package io.meridian.coherence.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Joining, landing and racing flights; a flight here is a record that keeps its landing callback. */
class SingleFlightTest {

    private record Flight(int id, Runnable landed) {}

    private final SingleFlight<String, Flight> flights = new SingleFlight<>();
    private final AtomicInteger started = new AtomicInteger();

    private Flight join(String key) {
        return flights.join(key, landed -> new Flight(started.incrementAndGet(), landed));
    }

    @Test
    void callersDuringAFlight_joinIt_andTheNextAfterItLandsStartsAnother() {
        Flight first = join("k");

        assertThat(join("k")).isSameAs(first);
        assertThat(join("other")).isNotSameAs(first);
        first.landed().run();
        Flight second = join("k");

        assertThat(second).isNotSameAs(first);
        assertThat(second.id()).isEqualTo(3);
    }

    @Test
    void aLateLanding_doesNotRemoveANewerFlight() {
        Flight first = join("k");
        first.landed().run();
        Flight second = join("k");

        first.landed().run();

        assertThat(flights.inFlight("k")).isTrue();
        assertThat(join("k")).isSameAs(second);
    }

    @Test
    void concurrentCallers_getOneFlight() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Flight>> joined = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            joined.add(pool.submit(() -> {
                go.await();
                return join("k");
            }));
        }
        go.countDown();
        List<Flight> got = new ArrayList<>();
        for (Future<Flight> flight : joined) {
            got.add(flight.get(10, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertThat(got).allMatch(flight -> flight == got.get(0));
        assertThat(flights.size()).isEqualTo(1);
    }
}
