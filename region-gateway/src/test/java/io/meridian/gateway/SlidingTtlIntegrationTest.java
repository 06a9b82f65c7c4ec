package io.meridian.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Sliding TTL against the real Redis, in {@code sliding} (written for 2 s, refreshed on access, at most 4 s after
 * the write, no jitter): reads keep a value alive past its TTL, never past the maximum; an unread value expires.
 */
@GatewayTest
class SlidingTtlIntegrationTest {

    private static final String KEYS = "/v1/namespaces/sliding/keys/";

    @Inject
    ManualClock clock;

    @Test
    void reads_pushTheExpiryForward_butNeverPastTheMaximum() throws Exception {
        String read = UniqueKeys.key("slides");
        String unread = UniqueKeys.key("expires");
        // The first write of a fresh gateway can take a while; the schedule below is about the later ones.
        given().body("warm-up").put(KEYS + UniqueKeys.key("warm-up")).then().statusCode(200);
        long written = clock.millis();
        given().body("kept alive").put(KEYS + read).then().statusCode(200);
        given().body("left alone").put(KEYS + unread).then().statusCode(200);
        long afterWrites = clock.millis();

        // Read at about 0.9 s, 1.8 s, 2.7 s and 3.4 s of the gateway's clock: each read finds the value alive only
        // thanks to the one before.
        for (long at : new long[] {900, 1_800, 2_700, 3_400}) {
            moveClockTo(written + at);
            given().get(KEYS + read).then().statusCode(200).body(equalTo("kept alive"));
        }
        moveClockTo(afterWrites + 2_200);
        given().get(KEYS + unread).then().statusCode(404);

        moveClockTo(afterWrites + 4_300);
        given().get(KEYS + read).then().statusCode(404);
    }

    /** Moves the gateway's clock to {@code millis}, instead of sleeping until then. */
    private void moveClockTo(long millis) {
        long wait = millis - clock.millis();
        if (wait > 0) {
            clock.advance(Duration.ofMillis(wait));
        }
    }
}
