package io.meridian.gateway;

import java.util.UUID;

/** Keys no other test uses, so that test classes share servers in any order. */
public final class UniqueKeys {

    private UniqueKeys() {}

    public static String key(String prefix) {
        return prefix + ":" + UUID.randomUUID().toString().substring(0, 12);
    }
}
