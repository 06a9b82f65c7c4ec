package io.meridian.coherence.simulation;

import io.meridian.coherence.session.SessionToken;

/**
 * An application instance talking to one region's gateway at a time, one request at a time. A token client keeps the
 * session token of every answer and may move between regions; a tokenless client stays in its region and relies on
 * the remote marker for its own writes.
 */
final class Client {

    final int id;
    final boolean tokenless;
    Region region;
    SessionToken token = SessionToken.EMPTY;
    private int writes;

    Client(int id, boolean tokenless, Region region) {
        this.id = id;
        this.tokenless = tokenless;
        this.region = region;
    }

    /** @return a value no other write carries */
    String nextValue() {
        return "c" + id + "-" + ++writes;
    }

    /** Keeps the token an answer came back with; a tokenless client throws it away. */
    void keep(SessionToken answered) {
        if (!tokenless) {
            token = answered;
        }
    }

    @Override
    public String toString() {
        return "client " + id + (tokenless ? " (no token)" : "");
    }
}
