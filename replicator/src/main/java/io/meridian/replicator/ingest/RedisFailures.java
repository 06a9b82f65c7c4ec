package io.meridian.replicator.ingest;

/**
 * Tells a Redis outage (retry until it is back) from Redis refusing one event (dead-letter it). Redis answers a
 * refusal with an error reply whose first word names the kind: {@code WRONGTYPE}, or {@code ERR} from a script.
 */
final class RedisFailures {

    private RedisFailures() {}

    static boolean isTransient(Throwable failure) {
        String message = failure.getMessage();
        if (failure instanceof IllegalArgumentException) {
            return false;
        }
        return message == null || !(message.startsWith("WRONGTYPE") || message.startsWith("ERR"));
    }
}
