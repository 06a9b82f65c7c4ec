package io.meridian.coherence.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.version.Version;
import io.meridian.coherence.version.VersionArbitraries;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The signed wire form of a session token. Whatever a client sends, {@link SessionTokenCodec#decode} either returns
 * the token a codec with the same keys signed, or throws {@link InvalidSessionTokenException}: never another
 * exception, never a token nobody signed.
 */
class SessionTokenCodecTest {

    private static final long NOW = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final Duration LIFETIME = Duration.ofHours(12);
    private static final byte[] OLD_SECRET = "old-secret-0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NEW_SECRET = "new-secret-9876543210".getBytes(StandardCharsets.US_ASCII);

    private final AtomicLong now = new AtomicLong(NOW);
    private final WallClock clock = now::get;
    private final SessionTokenCodec codec = codec(Map.of("2026-01", OLD_SECRET), "2026-01");

    // ---- round trip ----

    @Property
    void decode_encodedToken_isTheSameToken(@ForAll("tokens") SessionToken token) {
        assertThat(codec.decode(codec.encode(token))).isEqualTo(token);
    }

    @Example
    void encode_threeRegions_staysUnder120Characters() {
        long hlc = HybridLogicalClock.pack(NOW, 0x2A);
        SessionToken token = SessionToken.EMPTY
                .with("us-east", new Version(hlc, Version.originId(0, 3)))
                .with("eu-west", new Version(hlc + 9_000_000, Version.originId(1, 0)))
                .with("ap-south", new Version(hlc - 5_000_000, Version.originId(2, 17)));

        String text = codec.encode(token);

        assertThat(text).hasSizeLessThan(120).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    }

    // ---- forged, truncated, garbage ----

    @Property(tries = 2_000)
    void decode_anyBitFlippedInPayloadOrMac_isRejected(
            @ForAll("tokens") SessionToken token, @ForAll @IntRange(min = 0, max = 100_000) int bit) {
        String[] parts = codec.encode(token).split("\\.");
        byte[] payload = Base64.getUrlDecoder().decode(parts[0]);
        byte[] mac = Base64.getUrlDecoder().decode(parts[1]);
        int index = bit % ((payload.length + mac.length) * 8);
        byte[] target = index < payload.length * 8 ? payload : mac;
        int offset = index < payload.length * 8 ? index : index - payload.length * 8;
        target[offset / 8] ^= (byte) (1 << (offset % 8));

        assertThatThrownBy(() -> codec.decode(base64(payload) + "." + base64(mac)))
                .isExactlyInstanceOf(InvalidSessionTokenException.class);
    }

    /**
     * Base64 without padding is not canonical: the unused low bits of a segment's last character are ignored, so a
     * few different strings decode to the same signed bytes. That is no forgery (the content is exactly what was
     * signed), but it means token strings must not be compared as identities.
     */
    @Property(tries = 2_000)
    void decode_anyCharacterReplaced_isRejectedOrDecodesToTheSignedToken(
            @ForAll("tokens") SessionToken token,
            @ForAll @IntRange(min = 0, max = 1_000) int position,
            @ForAll("tokenCharacters") char replacement) {
        String text = codec.encode(token);
        int at = position % text.length();
        String changed = text.substring(0, at) + replacement + text.substring(at + 1);

        Throwable thrown =
                catchThrowable(() -> assertThat(codec.decode(changed)).isEqualTo(token));

        if (thrown != null) {
            assertThat(thrown).isExactlyInstanceOf(InvalidSessionTokenException.class);
        }
    }

    @Property(tries = 300)
    void decode_everyTruncation_isRejected(@ForAll("tokens") SessionToken token) {
        String text = codec.encode(token);

        for (int length = 0; length < text.length(); length++) {
            String truncated = text.substring(0, length);
            Throwable thrown = catchThrowable(() -> codec.decode(truncated));
            if (!(thrown instanceof InvalidSessionTokenException)) {
                throw new AssertionError("truncated to " + length + " characters: " + thrown, thrown);
            }
        }
    }

    @Property(tries = 2_000)
    void decode_anyString_isRejected(@ForAll("garbage") String text) {
        assertThatThrownBy(() -> codec.decode(text)).isExactlyInstanceOf(InvalidSessionTokenException.class);
    }

    @Property(tries = 2_000)
    void decode_wellFormedButUnsigned_isRejected(@ForAll byte[] payload, @ForAll byte[] mac) {
        assertThatThrownBy(() -> codec.decode(base64(payload) + "." + base64(mac)))
                .isExactlyInstanceOf(InvalidSessionTokenException.class);
    }

    @Example
    void decode_nullOrOversized_isRejected() {
        assertThatThrownBy(() -> codec.decode(null)).isExactlyInstanceOf(InvalidSessionTokenException.class);
        assertThatThrownBy(() -> codec.decode("A".repeat(4_097)))
                .isExactlyInstanceOf(InvalidSessionTokenException.class);
    }

    // ---- keys: unknown, wrong secret, rotation ----

    @Example
    void decode_signedByUnknownKeyId_isRejected() {
        SessionTokenCodec other = codec(Map.of("2026-02", NEW_SECRET), "2026-02");

        assertThatThrownBy(() -> codec.decode(other.encode(sample())))
                .isExactlyInstanceOf(InvalidSessionTokenException.class)
                .hasMessageContaining("unknown key");
    }

    @Example
    void decode_sameKeyIdOtherSecret_isRejected() {
        SessionTokenCodec impostor = codec(Map.of("2026-01", NEW_SECRET), "2026-01");

        assertThatThrownBy(() -> codec.decode(impostor.encode(sample())))
                .isExactlyInstanceOf(InvalidSessionTokenException.class)
                .hasMessageContaining("signature");
    }

    @Example
    void keyRotation_oldKeyStillVerifiesNewKeySignsThenOldKeyRetires() {
        String signedWithOld = codec.encode(sample());
        SessionTokenCodec rotated = codec(Map.of("2026-01", OLD_SECRET, "2026-02", NEW_SECRET), "2026-02");
        SessionTokenCodec retired = codec(Map.of("2026-02", NEW_SECRET), "2026-02");

        String signedWithNew = rotated.encode(sample());

        assertThat(rotated.decode(signedWithOld)).isEqualTo(sample());
        assertThat(keyIdOf(signedWithNew)).isEqualTo("2026-02");
        assertThat(rotated.decode(signedWithNew)).isEqualTo(sample());
        assertThat(retired.decode(signedWithNew)).isEqualTo(sample());
        assertThatThrownBy(() -> retired.decode(signedWithOld)).isExactlyInstanceOf(InvalidSessionTokenException.class);
    }

    // ---- expiry ----

    @Example
    void decode_justBeforeLifetimeEnds_isAccepted() {
        String text = codec.encode(sample());
        now.addAndGet(LIFETIME.toMillis() - 1_000);

        assertThat(codec.decode(text)).isEqualTo(sample());
    }

    @Example
    void decode_afterLifetime_isRejectedAsExpired() {
        String text = codec.encode(sample());
        now.addAndGet(LIFETIME.toMillis() + 1_000);

        assertThatThrownBy(() -> codec.decode(text))
                .isExactlyInstanceOf(InvalidSessionTokenException.class)
                .hasMessageContaining("expired");
    }

    @Example
    void encode_reissued_extendsTheLifetime() {
        now.addAndGet(LIFETIME.toMillis() / 2);
        String reissued = codec.encode(sample());
        now.addAndGet(LIFETIME.toMillis() - 1_000);

        assertThat(codec.decode(reissued)).isEqualTo(sample());
    }

    // ---- construction ----

    @Example
    void constructor_badKeys_areRejected() {
        assertThatThrownBy(() -> codec(Map.of("2026-01", OLD_SECRET), "2026-02"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec(Map.of("2026-01", new byte[15]), "2026-01"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec(Map.of("", OLD_SECRET), "")).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- helpers ----

    private SessionTokenCodec codec(Map<String, byte[]> keys, String signingKeyId) {
        return new SessionTokenCodec(keys, signingKeyId, LIFETIME, clock);
    }

    private static SessionToken sample() {
        return SessionToken.EMPTY.with("us-east", new Version(HybridLogicalClock.pack(NOW, 1), 0x0100));
    }

    /** The payload starts with the format byte, then the key id as length and ASCII bytes. */
    private static String keyIdOf(String text) {
        byte[] payload = Base64.getUrlDecoder().decode(text.substring(0, text.indexOf('.')));
        return new String(payload, 2, payload[1], StandardCharsets.US_ASCII);
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Provide
    Arbitrary<String> regionNames() {
        // Valid strings only (no lone surrogates): UTF-8 cannot carry those, and the codec is not asked to.
        return Arbitraries.strings()
                .withCharRange('a', 'z')
                .withChars('-', '1', 'é', '東')
                .ofMinLength(1)
                .ofMaxLength(40);
    }

    @Provide
    Arbitrary<SessionToken> tokens() {
        return Arbitraries.maps(regionNames(), VersionArbitraries.versions())
                .ofMaxSize(6)
                .map(SessionToken::new);
    }

    @Provide
    Arbitrary<Character> tokenCharacters() {
        return Arbitraries.chars().alpha().numeric().with('-', '_', '.', '=', '+', '/');
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                Arbitraries.strings().alpha().numeric().withChars('-', '_', '.').ofMaxLength(200));
    }
}
