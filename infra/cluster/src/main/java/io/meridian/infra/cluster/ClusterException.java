package io.meridian.infra.cluster;

/**
 * The one exception of the {@code ./meridian} commands, drills and benchmarks: an operation on the local cluster could
 * not do what it was asked. The command line prints its message to the user as is (no stack trace), so it says what
 * failed, where the log is, and what to do next.
 */
public class ClusterException extends RuntimeException {

    public ClusterException(String message) {
        super(message);
    }

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
