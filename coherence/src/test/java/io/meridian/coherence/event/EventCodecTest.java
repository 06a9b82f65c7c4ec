package io.meridian.coherence.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.meridian.coherence.version.Version;
import io.meridian.coherence.version.VersionArbitraries;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class EventCodecTest {

    private static final Version VERSION = new Version(0x0102_0304_0506_0708L, 0x090A);

    // ---- round trip ----

    @Property
    void decode_encodedWrite_roundTrips(@ForAll("writes") CacheEvent.Write write) {
        CacheEvent decoded = EventCodec.decode(EventCodec.encode(write));

        assertThat(decoded).isInstanceOf(CacheEvent.Write.class).isEqualTo(write);
        assertThat(((CacheEvent.Write) decoded).carriesValue()).isEqualTo(write.carriesValue());
    }

    @Property
    void decode_encodedDelete_roundTrips(@ForAll("deletes") CacheEvent.Delete delete) {
        assertThat(EventCodec.decode(EventCodec.encode(delete))).isEqualTo(delete);
    }

    @Example
    void decode_writeWithEmptyValue_keepsEmptyValueApartFromNoValue() {
        CacheEvent.Write empty = write(new byte[0]);
        CacheEvent.Write none = write(null);

        CacheEvent.Write decodedEmpty = (CacheEvent.Write) EventCodec.decode(EventCodec.encode(empty));
        CacheEvent.Write decodedNone = (CacheEvent.Write) EventCodec.decode(EventCodec.encode(none));

        assertThat(decodedEmpty.value()).isEmpty();
        assertThat(decodedNone.value()).isNull();
    }

    @Example
    void decode_supplementaryCharactersInKey_roundTrip() {
        CacheEvent.Delete delete = new CacheEvent.Delete("ünï", "user:😀/𝄞/東京", VERSION);

        assertThat(EventCodec.decode(EventCodec.encode(delete))).isEqualTo(delete);
    }

    // ---- format stability: events already in the log must stay readable ----

    @Example
    void encode_delete_matchesFormatOne() {
        byte[] encoded = EventCodec.encode(new CacheEvent.Delete("ns", "k", VERSION));

        assertThat(HexFormat.of().formatHex(encoded))
                .isEqualTo("4d0102" + "00026e73" + "00016b" + "0102030405060708090a");
    }

    @Example
    void encode_writeWithValue_matchesFormatOne() {
        CacheEvent.Write write =
                new CacheEvent.Write("ns", "k", VERSION, 0x1122_3344_5566_7788L, "t", new byte[] {(byte) 0xAB});

        assertThat(HexFormat.of().formatHex(EventCodec.encode(write)))
                .isEqualTo("4d0101" + "00026e73" + "00016b" + "0102030405060708090a" + "1122334455667788" + "000174"
                        + "01" + "00000001ab");
    }

    @Example
    void encode_writeWithoutValue_matchesFormatOne() {
        CacheEvent.Write write = new CacheEvent.Write("ns", "k", VERSION, 0x1122_3344_5566_7788L, "", null);

        assertThat(HexFormat.of().formatHex(EventCodec.encode(write)))
                .isEqualTo(
                        "4d0101" + "00026e73" + "00016b" + "0102030405060708090a" + "1122334455667788" + "0000" + "00");
    }

    // ---- poison events: only EventDecodingException ----

    @Property(tries = 3_000)
    void decode_anyBytes_returnsEventOrThrowsEventDecodingException(@ForAll("eventLikeBytes") byte[] bytes) {
        Throwable thrown = catchThrowable(() -> EventCodec.decode(bytes));

        if (thrown != null) {
            assertThat(thrown).isInstanceOf(EventDecodingException.class);
        }
    }

    @Property(tries = 2_000)
    void decode_corruptedEncoding_returnsEventOrThrowsEventDecodingException(
            @ForAll("corruptedEncodings") byte[] bytes) {
        Throwable thrown = catchThrowable(() -> EventCodec.decode(bytes));

        if (thrown != null) {
            assertThat(thrown).isInstanceOf(EventDecodingException.class);
        }
    }

    @Property(tries = 500)
    void decode_everyTruncationOfAnEncoding_throwsEventDecodingException(@ForAll("smallEvents") CacheEvent event) {
        byte[] encoded = EventCodec.encode(event);

        for (int length = 0; length < encoded.length; length++) {
            byte[] truncated = Arrays.copyOf(encoded, length);
            Throwable thrown = catchThrowable(() -> EventCodec.decode(truncated));
            // Checked by hand rather than with assertThatThrownBy: this loop runs a few hundred thousand times.
            if (!(thrown instanceof EventDecodingException)) {
                throw new AssertionError(
                        "truncated to " + length + " of " + encoded.length + " bytes: expected an"
                                + " EventDecodingException but got " + thrown,
                        thrown);
            }
        }
    }

    @Property
    void decode_trailingBytes_throwsEventDecodingException(@ForAll("events") CacheEvent event, @ForAll byte extra) {
        byte[] encoded = EventCodec.encode(event);
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
        longer[encoded.length] = extra;

        assertThatThrownBy(() -> EventCodec.decode(longer))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("trailing");
    }

    @Example
    void decode_null_throwsEventDecodingException() {
        assertThatThrownBy(() -> EventCodec.decode(null)).isInstanceOf(EventDecodingException.class);
    }

    @Example
    void decode_badMagic_throwsEventDecodingException() {
        byte[] encoded = EventCodec.encode(new CacheEvent.Delete("ns", "k", VERSION));
        encoded[0] = 'X';

        assertThatThrownBy(() -> EventCodec.decode(encoded))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("magic");
    }

    @Example
    void decode_unknownFormat_throwsEventDecodingException() {
        byte[] encoded = EventCodec.encode(new CacheEvent.Delete("ns", "k", VERSION));
        encoded[1] = 3;

        assertThatThrownBy(() -> EventCodec.decode(encoded))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("format");
    }

    @Example
    void encode_eventsWithoutExternalVersion_keepFormat1_forReplicatorsOfThePreviousRelease() {
        assertThat(EventCodec.encode(new CacheEvent.Delete("ns", "k", VERSION))[1])
                .isEqualTo((byte) 1);
        assertThat(EventCodec.encode(write(new byte[] {1}))[1]).isEqualTo((byte) 1);
        assertThat(EventCodec.encode(new CacheEvent.Delete("ns", "k", VERSION, 42))[1])
                .isEqualTo((byte) 2);
        assertThat(EventCodec.encode(new CacheEvent.Purge("ns", "", VERSION))[1])
                .isEqualTo((byte) 2);
    }

    @Property
    void decode_encodedPurge_roundTrips(@ForAll("purges") CacheEvent.Purge purge) {
        assertThat(EventCodec.decode(EventCodec.encode(purge))).isEqualTo(purge);
    }

    @Example
    void decode_purgeInFormat1_throwsEventDecodingException() {
        byte[] encoded = EventCodec.encode(new CacheEvent.Purge("ns", "alice", VERSION));
        encoded[1] = 1;

        assertThatThrownBy(() -> EventCodec.decode(encoded)).isInstanceOf(EventDecodingException.class);
    }

    @Example
    void decode_unknownType_throwsEventDecodingException() {
        byte[] encoded = EventCodec.encode(new CacheEvent.Delete("ns", "k", VERSION));
        encoded[2] = 9;

        assertThatThrownBy(() -> EventCodec.decode(encoded))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("type");
    }

    @Example
    void decode_valueLengthBeyondTheEvent_throwsWithoutAllocatingIt() {
        byte[] encoded = EventCodec.encode(write(new byte[] {1}));
        ByteBuffer.wrap(encoded).putInt(encoded.length - 5, Integer.MAX_VALUE);

        assertThatThrownBy(() -> EventCodec.decode(encoded))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("length");
    }

    @Example
    void decode_negativeValueLength_throwsEventDecodingException() {
        byte[] encoded = EventCodec.encode(write(new byte[] {1}));
        ByteBuffer.wrap(encoded).putInt(encoded.length - 5, -1);

        assertThatThrownBy(() -> EventCodec.decode(encoded)).isInstanceOf(EventDecodingException.class);
    }

    @Example
    void decode_nonPositiveExpiry_throwsEventDecodingException() {
        byte[] encoded = EventCodec.encode(write(null));
        // 'M' format type, "ns", "k", version: the expiry follows at offset 3 + 4 + 3 + 10.
        ByteBuffer.wrap(encoded).putLong(20, 0);

        assertThatThrownBy(() -> EventCodec.decode(encoded)).isInstanceOf(EventDecodingException.class);
    }

    @Example
    void decode_emptyKey_throwsEventDecodingException() {
        byte[] encoded = HexFormat.of().parseHex("4d0102" + "00026e73" + "0000" + "0102030405060708090a");

        assertThatThrownBy(() -> EventCodec.decode(encoded)).isInstanceOf(EventDecodingException.class);
    }

    @Example
    void decode_negativeClock_throwsEventDecodingException() {
        byte[] encoded = HexFormat.of().parseHex("4d0102" + "00026e73" + "00016b" + "8000000000000000090a");

        assertThatThrownBy(() -> EventCodec.decode(encoded)).isInstanceOf(EventDecodingException.class);
    }

    // ---- encoding limits ----

    @Example
    void encode_keyLongerThan65535Bytes_throws() {
        CacheEvent.Delete delete = new CacheEvent.Delete("ns", "é".repeat(32_768), VERSION);

        assertThatThrownBy(() -> EventCodec.encode(delete)).isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void encode_keyOf65535Bytes_roundTrips() {
        CacheEvent.Delete delete = new CacheEvent.Delete("ns", "k".repeat(65_535), VERSION);

        assertThat(EventCodec.decode(EventCodec.encode(delete))).isEqualTo(delete);
    }

    @Example
    void encode_keyWithUnpairedSurrogate_throws() {
        CacheEvent.Delete delete = new CacheEvent.Delete("ns", "a\uD800b", VERSION);

        assertThatThrownBy(() -> EventCodec.encode(delete)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- generators ----

    private static CacheEvent.Write write(byte[] value) {
        return new CacheEvent.Write("ns", "k", VERSION, 1_767_225_600_000L, "text/plain", value);
    }

    @Provide
    Arbitrary<CacheEvent> events() {
        return Arbitraries.oneOf(writes(), deletes(), purges());
    }

    /** Events with values of at most 100 bytes, for properties that try every prefix of an encoding. */
    @Provide
    Arbitrary<CacheEvent> smallEvents() {
        return Arbitraries.oneOf(writes(100), deletes(), purges());
    }

    @Provide
    Arbitrary<CacheEvent.Write> writes() {
        return writes(2_000);
    }

    private static Arbitrary<CacheEvent.Write> writes(int maxValueSize) {
        Arbitrary<byte[]> values = Arbitraries.frequencyOf(
                        Tuple.of(1, Arbitraries.just(new byte[0])),
                        Tuple.of(4, Arbitraries.bytes().array(byte[].class).ofMaxSize(maxValueSize)))
                .injectNull(0.2);
        return Combinators.combine(
                        names(),
                        names(),
                        VersionArbitraries.versions(),
                        Arbitraries.longs().between(1, Long.MAX_VALUE),
                        unicode(0, 40),
                        values,
                        externalVersions())
                .as(CacheEvent.Write::new);
    }

    @Provide
    Arbitrary<CacheEvent.Delete> deletes() {
        return Combinators.combine(names(), names(), VersionArbitraries.versions(), externalVersions())
                .as(CacheEvent.Delete::new);
    }

    @Provide
    Arbitrary<CacheEvent.Purge> purges() {
        return Combinators.combine(
                        names(), Arbitraries.oneOf(Arbitraries.just(""), names()), VersionArbitraries.versions())
                .as(CacheEvent.Purge::new);
    }

    /** Half the events carry none. */
    private static Arbitrary<Long> externalVersions() {
        return Arbitraries.oneOf(
                Arbitraries.just(io.meridian.coherence.redis.StoredValue.NO_EXTERNAL_VERSION),
                Arbitraries.longs().between(0, Long.MAX_VALUE));
    }

    /** Non-empty, well-formed Unicode: ASCII, Latin, CJK, emoji and other supplementary characters. */
    private static Arbitrary<String> names() {
        return unicode(1, 60);
    }

    private static Arbitrary<String> unicode(int minLength, int maxLength) {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(1, Arbitraries.integers().between(0x80, 0x7FF)),
                Tuple.of(1, Arbitraries.integers().between(0x800, 0xD7FF)),
                Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF)),
                Tuple.of(1, Arbitraries.of(0, 0x2F, 0x1F600, 0xFEFF)));
        return codePoints.list().ofMinSize(minLength).ofMaxSize(maxLength).map(EventCodecTest::fromCodePoints);
    }

    private static String fromCodePoints(List<Integer> codePoints) {
        StringBuilder text = new StringBuilder();
        codePoints.forEach(text::appendCodePoint);
        return text.toString();
    }

    /** Random bytes, half of them behind a valid magic, format and type so that decoding goes deep. */
    @Provide
    Arbitrary<byte[]> eventLikeBytes() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(120);
        Arbitrary<byte[]> behindHeader = Combinators.combine(Arbitraries.of((byte) 1, (byte) 2), random)
                .as((type, rest) -> {
                    byte[] bytes = new byte[3 + rest.length];
                    bytes[0] = 'M';
                    bytes[1] = 1;
                    bytes[2] = type;
                    System.arraycopy(rest, 0, bytes, 3, rest.length);
                    return bytes;
                });
        return Arbitraries.oneOf(random, behindHeader);
    }

    /** Valid encodings with a few bytes overwritten, inserted or removed. */
    @Provide
    Arbitrary<byte[]> corruptedEncodings() {
        Arbitrary<byte[]> encodings = smallEvents().map(EventCodec::encode);
        Arbitrary<List<Tuple.Tuple3<Integer, Integer, Byte>>> edits = Combinators.combine(
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().greaterOrEqual(0),
                        Arbitraries.bytes())
                .as(Tuple::of)
                .list()
                .ofMinSize(1)
                .ofMaxSize(4);
        return Combinators.combine(encodings, edits).as(EventCodecTest::corrupt);
    }

    private static byte[] corrupt(byte[] encoded, List<Tuple.Tuple3<Integer, Integer, Byte>> edits) {
        byte[] bytes = encoded;
        for (Tuple.Tuple3<Integer, Integer, Byte> edit : edits) {
            int at = bytes.length == 0 ? 0 : edit.get2() % bytes.length;
            bytes = switch (edit.get1()) {
                case 0 -> overwrite(bytes, at, edit.get3());
                case 1 -> insert(bytes, at, edit.get3());
                default -> remove(bytes, at);
            };
        }
        return bytes;
    }

    private static byte[] overwrite(byte[] bytes, int at, byte value) {
        if (bytes.length == 0) {
            return bytes;
        }
        byte[] copy = bytes.clone();
        copy[at] = value;
        return copy;
    }

    private static byte[] insert(byte[] bytes, int at, byte value) {
        byte[] copy = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, copy, 0, at);
        copy[at] = value;
        System.arraycopy(bytes, at, copy, at + 1, bytes.length - at);
        return copy;
    }

    private static byte[] remove(byte[] bytes, int at) {
        if (bytes.length == 0) {
            return bytes;
        }
        byte[] copy = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, copy, 0, at);
        System.arraycopy(bytes, at + 1, copy, at, bytes.length - at - 1);
        return copy;
    }
}
