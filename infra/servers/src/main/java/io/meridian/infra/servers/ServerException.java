package io.meridian.infra.servers;

/**
 * The one exception this module throws: a server could not be started, did not become ready in time, or could not
 * be stopped. The message names the server, its port and, where there is one, the tail of its log, because the
 * person reading it is usually looking at a failed build on a machine they cannot log in to.
 */
public class ServerException extends RuntimeException {

    public ServerException(String message) {
        super(message);
    }

    public ServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
