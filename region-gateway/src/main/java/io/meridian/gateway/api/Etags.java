package io.meridian.gateway.api;

/** Entity tags are a value's version in hex, quoted (RFC 9110, section 8.8.3). */
final class Etags {

    private Etags() {}

    static String of(String versionHex) {
        return "\"" + versionHex + "\"";
    }

    /**
     * @param header an {@code If-None-Match} or {@code If-Match} header: {@code *} or a comma-separated list of
     *     entity tags, weak or strong
     * @return true when it names {@code versionHex} or is {@code *}
     */
    static boolean matches(String header, String versionHex) {
        if (header == null || header.isBlank()) {
            return false;
        }
        for (String tag : header.split(",")) {
            String trimmed = tag.trim();
            if (trimmed.equals("*")) {
                return true;
            }
            if (trimmed.startsWith("W/")) {
                trimmed = trimmed.substring(2);
            }
            if (trimmed.equals(of(versionHex)) || trimmed.equals(versionHex)) {
                return true;
            }
        }
        return false;
    }
}
