package io.meridian.infra.launcher;

import java.util.ArrayList;
import java.util.List;

/** Every request of a drill's workload and its answer, in the order they completed. */
final class DrillHistory {

    /**
     * One request.
     *
     * @param atMillis when it was sent, in ms since the drill's workload started
     * @param status the HTTP status, or 0 when no answer came (refused connection, client timeout)
     * @param version the version answered (write result or read ETag), null when none
     * @param value the value written or read, null when none
     * @param tokenSent whether the request carried the client's session token
     */
    record Op(
            long atMillis,
            int client,
            String region,
            String kind,
            String key,
            int status,
            String version,
            String value,
            long latencyMillis,
            boolean tokenSent) {

        boolean isPut() {
            return kind.equals("PUT");
        }

        boolean acked() {
            return status == 200;
        }
    }

    private final List<Op> ops = new ArrayList<>();

    synchronized void add(Op op) {
        ops.add(op);
    }

    synchronized List<Op> ops() {
        return List.copyOf(ops);
    }
}
