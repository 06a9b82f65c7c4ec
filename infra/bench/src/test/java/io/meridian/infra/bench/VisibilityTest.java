package io.meridian.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.version.Version;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VisibilityTest {

    private static final Version ACKED = new Version(0x0123_4567_89ABL, 0x0100);

    @Test
    void visible_whenTheStoredVersionIsTheAcknowledgedOneOrNewer() {
        byte[] acked = Visibility.versionBytes(ACKED.toHex());

        assertThat(Visibility.visible(getRange(ACKED), acked)).isTrue();
        assertThat(Visibility.visible(getRange(new Version(ACKED.hlc() + 1, 0)), acked))
                .isTrue();
        assertThat(Visibility.visible(getRange(new Version(ACKED.hlc(), 0x0101)), acked))
                .isTrue();
    }

    @Test
    void notVisible_whenOlder_absentOrNotAStoredValue() {
        byte[] acked = ACKED.toBytes();

        assertThat(Visibility.visible(getRange(new Version(ACKED.hlc() - 1, 0xFFFF)), acked))
                .isFalse();
        assertThat(Visibility.visible(new byte[0], acked)).isFalse();
        assertThat(Visibility.visible(null, acked)).isFalse();
        assertThat(Visibility.visible("short".getBytes(StandardCharsets.US_ASCII), acked))
                .isFalse();
    }

    @Test
    void comparesBytesUnsigned_asTheLuaScriptsDo() {
        Version older = new Version(0x7FL, 0);
        Version newer = new Version(0x80L, 0);

        assertThat(Visibility.visible(getRange(newer), older.toBytes())).isTrue();
        assertThat(Visibility.visible(getRange(older), newer.toBytes())).isFalse();
    }

    @Test
    void aNewerTombstoneCountsAsVisible() {
        byte[] stored = StoredValue.tombstone(new Version(ACKED.hlc() + 5, 0)).encode();

        assertThat(Visibility.visible(Arrays.copyOfRange(stored, 1, 11), ACKED.toBytes()))
                .isTrue();
    }

    /** What {@code GETRANGE key 1 10} answers for a stored value of {@code version}. */
    private static byte[] getRange(Version version) {
        byte[] stored = StoredValue.value(version, "text/plain", "hello".getBytes(StandardCharsets.US_ASCII))
                .encode();
        return Arrays.copyOfRange(stored, 1, 11);
    }
}
