package io.meridian.gateway.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** How a stored body is put inside a JSON answer: text as a string, anything else as base64. */
final class ValueEncoding {

    private ValueEncoding() {}

    static boolean isText(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/")
                || type.startsWith("application/json")
                || type.endsWith("+json")
                || type.startsWith("application/xml")
                || type.endsWith("+xml");
    }

    static String utf8(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    static String base64(byte[] body) {
        return Base64.getEncoder().encodeToString(body);
    }
}
