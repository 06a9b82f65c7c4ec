package io.meridian.replicator.ingest;

import java.util.regex.Pattern;

/**
 * Tells a Redis failure that passes (retry the event until it applies) from Redis refusing one event by a deterministic
 * rule (dead-letter it). An event is dead-lettered only when it cannot be decoded or when Redis answers it with an
 * error reply of a kind that the same event would get again: {@code WRONGTYPE}, or {@code ERR} from a command or
 * script, unless that error reports one of the passing conditions below.
 *
 * <p>Passing: no reply (connection refused, closed or reset, a timeout), and the replies {@code LOADING} (a restarted
 * Redis reading its data), {@code BUSY} (a long script), {@code MASTERDOWN}, {@code READONLY} (a replica promoted or
 * demoted under us), {@code TRYAGAIN}, {@code CLUSTERDOWN}, {@code MOVED}/{@code ASK} (slots moving), {@code OOM}
 * (memory full until eviction catches up), {@code NOAUTH}/{@code WRONGPASS} (a credential being rotated), and {@code
 * ERR max number of clients reached}.
 */
final class RedisFailures {

    /** A passing condition named as a word of the reply, even inside an {@code ERR} from a script. */
    private static final Pattern PASSING = Pattern.compile(
            "\\b(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|MOVED|ASK|OOM|NOAUTH|WRONGPASS)\\b"
                    + "|max number of clients reached");

    private RedisFailures() {}

    /** @return true when the event that failed so must be retried, false when it must be dead-lettered */
    public static boolean isTransient(Throwable failure) {
        if (failure instanceof IllegalArgumentException) {
            return false;
        }
        String message = failure.getMessage();
        if (message == null) {
            return true;
        }
        String reply = message.strip();
        if (!(reply.startsWith("WRONGTYPE") || reply.startsWith("ERR"))) {
            return true;
        }
        return PASSING.matcher(reply).find();
    }
}
