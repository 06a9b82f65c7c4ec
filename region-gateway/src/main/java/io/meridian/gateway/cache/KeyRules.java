package io.meridian.gateway.cache;

import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.failure.GatewayFailure.Kind;
import java.nio.charset.StandardCharsets;

/** What a key may be: 1 to {@value #MAX_KEY_BYTES} bytes of UTF-8 without control characters. */
public final class KeyRules {

    /** Longest key in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 512;

    private KeyRules() {}

    /**
     * @param field name of the input the key came from ({@code key}, {@code keys[3]}), for the problem answer
     * @throws GatewayFailure 400 naming {@code field} when the key breaks a rule
     */
    public static String require(String key, String field) {
        if (key == null || key.isEmpty()) {
            throw invalid(field, "a key must not be empty");
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw invalid(field, "a key is at most " + MAX_KEY_BYTES + " bytes of UTF-8; this one has " + bytes);
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw invalid(
                        field,
                        "a key must not contain control characters (found U+"
                                + String.format("%04X", (int) key.charAt(i)) + " at index " + i + ")");
            }
            if (Character.isSurrogate(key.charAt(i)) && !validSurrogatePair(key, i)) {
                throw invalid(field, "a key must be valid UTF-8 (lone surrogate at index " + i + ")");
            }
        }
        return key;
    }

    private static boolean validSurrogatePair(String key, int i) {
        char c = key.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(key.charAt(i - 1));
    }

    private static GatewayFailure invalid(String field, String detail) {
        return GatewayFailure.invalid(Kind.INVALID, "invalid-key", field, detail);
    }
}
