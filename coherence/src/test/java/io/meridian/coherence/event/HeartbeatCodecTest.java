package io.meridian.coherence.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class HeartbeatCodecTest {

    @Property
    void heartbeat_roundTrips(
            @ForAll @IntRange(min = 0, max = 0xFFFF) int origin, @ForAll @LongRange(min = 0) long hlc) {
        CacheEvent.Heartbeat heartbeat = new CacheEvent.Heartbeat(origin, hlc);

        assertThat(EventCodec.decode(EventCodec.encode(heartbeat))).isEqualTo(heartbeat);
    }

    @Property
    void heartbeat_truncated_isPoison(@ForAll @IntRange(min = 0, max = 12) int length) {
        byte[] encoded = EventCodec.encode(new CacheEvent.Heartbeat(7, 123_456_789L));
        byte[] truncated = java.util.Arrays.copyOf(encoded, length);

        assertThatThrownBy(() -> EventCodec.decode(truncated)).isInstanceOf(EventDecodingException.class);
    }
}
