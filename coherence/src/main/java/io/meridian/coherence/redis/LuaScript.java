package io.meridian.coherence.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script shipped as a resource next to this class, with the SHA-1 digest Redis knows it by for
 * {@code EVALSHA}.
 */
public record LuaScript(String name, String source, String sha1) {

    public LuaScript {
        if (name == null || name.isBlank() || source == null || source.isBlank()) {
            throw new IllegalArgumentException("a script needs a name and a source");
        }
        if (sha1 == null || sha1.length() != 40) {
            throw new IllegalArgumentException("sha1 must be 40 hex digits");
        }
    }

    /** Loads {@code <name>.lua} from this package's resources. */
    public static LuaScript load(String name) {
        String resource = name + ".lua";
        try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("script resource missing: " + resource);
            }
            String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new LuaScript(name, source, sha1Of(source));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script " + resource, e);
        }
    }

    private static String sha1Of(String source) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(digest.digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JVM", e);
        }
    }
}
