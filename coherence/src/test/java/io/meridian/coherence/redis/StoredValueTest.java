package io.meridian.coherence.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.meridian.coherence.version.Version;
import io.meridian.coherence.version.VersionArbitraries;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class StoredValueTest {

    private static final Version VERSION = new Version(0x0123_4567_89AB_CDEFL, 0x0203);

    // ---- round trip ----

    @Property
    void decode_encodedValue_roundTrips(
            @ForAll("versions") Version version,
            @ForAll("contentTypes") String contentType,
            @ForAll @Size(max = 2_000) byte[] body) {
        StoredValue value = StoredValue.value(version, contentType, body);

        assertThat(StoredValue.decode(value.encode())).isEqualTo(value);
    }

    @Property
    void decode_encodedTombstone_roundTrips(@ForAll("versions") Version version) {
        StoredValue tombstone = StoredValue.tombstone(version);

        StoredValue decoded = StoredValue.decode(tombstone.encode());

        assertThat(decoded).isEqualTo(tombstone);
        assertThat(decoded.tombstone()).isTrue();
    }

    /** The Lua scripts read the version with {@code GETRANGE key 0 10}; the header layout is a contract. */
    @Property
    void encode_anyValue_startsWithFormatThenVersionThenExpiryThenContentTypeLength(
            @ForAll("versions") Version version,
            @ForAll("contentTypes") String contentType,
            @ForAll @Size(max = 64) byte[] body) {
        byte[] encoded = StoredValue.value(version, contentType, body).encode();

        assertThat(encoded).hasSize(StoredValue.FIXED_HEADER + contentType.length() + body.length);
        assertThat(encoded[0]).isEqualTo(StoredValue.FORMAT_VALUE);
        assertThat(Arrays.copyOfRange(encoded, 1, 1 + Version.BYTES)).isEqualTo(version.toBytes());
        assertThat(Arrays.copyOfRange(encoded, 1 + Version.BYTES, 1 + Version.BYTES + Long.BYTES))
                .as("no expiry recorded")
                .containsOnly(0);
        assertThat(Byte.toUnsignedInt(encoded[1 + Version.BYTES + Long.BYTES])).isEqualTo(contentType.length());
        assertThat(new String(encoded, StoredValue.FIXED_HEADER, contentType.length(), StandardCharsets.US_ASCII))
                .isEqualTo(contentType);
        assertThat(Arrays.copyOfRange(encoded, StoredValue.FIXED_HEADER + contentType.length(), encoded.length))
                .isEqualTo(body);
    }

    @Property
    void decode_valuesAndTombstonesWithAnExternalVersion_roundTrip(
            @ForAll("versions") Version version,
            @ForAll long externalVersion,
            @ForAll @Size(max = 64) byte[] body,
            @ForAll boolean tombstone) {
        Assume.that(externalVersion != StoredValue.NO_EXTERNAL_VERSION);
        StoredValue value = (tombstone
                        ? StoredValue.tombstone(version)
                        : StoredValue.value(version, "application/json", body, 1_000))
                .withExternalVersion(externalVersion);

        byte[] encoded = value.encode();
        StoredValue decoded = StoredValue.decode(encoded);

        assertThat(decoded).isEqualTo(value);
        assertThat(decoded.externalVersion()).isEqualTo(externalVersion);
        // The scripts' contract holds for every format: the version right after the format byte.
        assertThat(encoded[0])
                .isEqualTo(tombstone ? StoredValue.FORMAT_TOMBSTONE_EXTERNAL : StoredValue.FORMAT_VALUE_EXTERNAL);
        assertThat(Arrays.copyOfRange(encoded, 1, 1 + Version.BYTES)).isEqualTo(version.toBytes());
    }

    @Example
    void encode_withoutExternalVersion_keepsTheFirstFormats() {
        StoredValue value = StoredValue.value(VERSION, "text/plain", new byte[] {1});

        assertThat(value.hasExternalVersion()).isFalse();
        assertThat(value.encode()[0]).isEqualTo(StoredValue.FORMAT_VALUE);
        assertThat(StoredValue.tombstone(VERSION).encode()[0]).isEqualTo(StoredValue.FORMAT_TOMBSTONE);
    }

    @Example
    void encode_tombstone_isHeaderOnlyWithTombstoneFormat() {
        byte[] encoded = StoredValue.tombstone(VERSION).encode();

        assertThat(encoded).hasSize(StoredValue.FIXED_HEADER);
        assertThat(encoded[0]).isEqualTo(StoredValue.FORMAT_TOMBSTONE);
        assertThat(encoded[StoredValue.FIXED_HEADER - 1]).isZero();
    }

    @Property
    void encode_valueWithExpiry_roundTripsAndRecordsIt(
            @ForAll("versions") Version version, @ForAll @net.jqwik.api.constraints.LongRange(min = 1) long expiresAt) {
        StoredValue value = StoredValue.value(version, "text/plain", new byte[] {7}, expiresAt);

        assertThat(StoredValue.decode(value.encode())).isEqualTo(value);
        assertThat(value.isLiveAt(expiresAt - 1)).isTrue();
        assertThat(value.isLiveAt(expiresAt)).isFalse();
    }

    // ---- rejection ----

    @Property
    void decode_anyBytes_returnsValueThatReEncodesIdenticallyOrThrowsIllegalArgument(
            @ForAll("headerLikeBytes") byte[] bytes) {
        Throwable thrown = catchThrowable(
                () -> assertThat(StoredValue.decode(bytes).encode()).isEqualTo(bytes));

        if (thrown != null) {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Property
    void decode_truncatedInsideHeaderOrContentType_throws(
            @ForAll("versions") Version version,
            @ForAll("contentTypes") String contentType,
            @ForAll @Size(max = 16) byte[] body,
            @ForAll @IntRange(min = 0, max = 10_000) int cut) {
        byte[] encoded = StoredValue.value(version, contentType, body).encode();
        int length = cut % (StoredValue.FIXED_HEADER + contentType.length());

        assertThatThrownBy(() -> StoredValue.decode(Arrays.copyOf(encoded, length)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void decode_unknownFormatByte_throws(@ForAll byte format) {
        Assume.that(format < StoredValue.FORMAT_VALUE || format > StoredValue.FORMAT_TOMBSTONE_EXTERNAL);
        byte[] encoded =
                StoredValue.value(VERSION, "text/plain", new byte[] {1, 2}).encode();
        encoded[0] = format;

        assertThatThrownBy(() -> StoredValue.decode(encoded))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format");
    }

    @Example
    void decode_tombstoneCarryingABody_throws() {
        byte[] encoded = StoredValue.value(VERSION, "", new byte[] {7}).encode();
        encoded[0] = StoredValue.FORMAT_TOMBSTONE;

        assertThatThrownBy(() -> StoredValue.decode(encoded)).isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void decode_nonAsciiContentType_throws() {
        byte[] encoded = StoredValue.value(VERSION, "ab", new byte[0]).encode();
        encoded[StoredValue.FIXED_HEADER] = (byte) 0xC3;

        assertThatThrownBy(() -> StoredValue.decode(encoded)).isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void decode_negativeClockInHeader_throws() {
        byte[] encoded = StoredValue.tombstone(VERSION).encode();
        encoded[1] = (byte) 0x80;

        assertThatThrownBy(() -> StoredValue.decode(encoded)).isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void constructor_contentTypeLongerThan255_throws() {
        assertThatThrownBy(() -> StoredValue.value(VERSION, "x".repeat(256), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void constructor_contentTypeOf255_isAccepted() {
        StoredValue value = StoredValue.value(VERSION, "x".repeat(255), new byte[0]);

        assertThat(StoredValue.decode(value.encode())).isEqualTo(value);
    }

    @Example
    void constructor_nonAsciiContentType_throws() {
        assertThatThrownBy(() -> StoredValue.value(VERSION, "text/plän", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void constructor_tombstoneWithBodyOrContentType_throws() {
        assertThatThrownBy(() -> new StoredValue(true, VERSION, 0, "", new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StoredValue(true, VERSION, 0, "text/plain", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StoredValue(true, VERSION, 5, "", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void constructor_nullParts_throw() {
        assertThatThrownBy(() -> StoredValue.value(null, "", new byte[0])).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> StoredValue.value(VERSION, null, new byte[0]))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> StoredValue.value(VERSION, "", null)).isInstanceOf(NullPointerException.class);
    }

    // ---- value semantics ----

    @Example
    void equals_sameContentInDifferentArrays_isEqualWithSameHashCode() {
        StoredValue a = StoredValue.value(VERSION, "text/plain", new byte[] {1, 2, 3});
        StoredValue b = StoredValue.value(VERSION, "text/plain", new byte[] {1, 2, 3});

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }

    @Example
    void equals_differentBody_isNotEqual() {
        StoredValue a = StoredValue.value(VERSION, "text/plain", new byte[] {1, 2, 3});

        assertThat(a).isNotEqualTo(StoredValue.value(VERSION, "text/plain", new byte[] {1, 2, 4}));
    }

    @Example
    void equals_tombstoneAndEmptyValueOfSameVersion_areNotEqual() {
        assertThat(StoredValue.tombstone(VERSION)).isNotEqualTo(StoredValue.value(VERSION, "", new byte[0]));
    }

    @Example
    void isLive_valueTombstoneAndAbsent_onlyValueIsLive() {
        assertThat(new StoredEntry(StoredValue.value(VERSION, "", new byte[0]), 1_000).isLive())
                .isTrue();
        assertThat(new StoredEntry(StoredValue.tombstone(VERSION), 1_000).isLive())
                .isFalse();
        assertThat(StoredEntry.ABSENT.isLive()).isFalse();
    }

    // ---- generators ----

    @Provide
    Arbitrary<Version> versions() {
        return VersionArbitraries.versions();
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.oneOf(
                Arbitraries.of("", "application/json", "text/plain; charset=utf-8", "application/octet-stream"),
                Arbitraries.strings().ascii().ofMaxLength(StoredValue.MAX_CONTENT_TYPE));
    }

    /** Random bytes that often start like a stored value, so that decoding gets past the first checks. */
    @Provide
    Arbitrary<byte[]> headerLikeBytes() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(80);
        Arbitrary<byte[]> plausible = random.map(bytes -> {
            if (bytes.length > 0) {
                bytes[0] = (byte) (1 + Math.floorMod(bytes[0], 3)); // 1, 2 or the unknown 3
            }
            if (bytes.length > 1) {
                bytes[1] &= 0x7F; // a non-negative clock
            }
            if (bytes.length > StoredValue.FIXED_HEADER - 1) {
                bytes[StoredValue.FIXED_HEADER - 1] &= 0x3F; // a content type length that often fits
            }
            return bytes;
        });
        return Arbitraries.oneOf(random, plausible);
    }
}
