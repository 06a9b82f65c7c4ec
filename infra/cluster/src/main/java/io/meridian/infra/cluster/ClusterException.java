package io.meridian.infra.launcher;

/**
 * The launcher's one exception: a command could not do what it was asked. Its message is printed to the user as is
 * (no stack trace), so it says what failed, where the log is, and what to do next.
 */
public class LauncherException extends RuntimeException {

    public LauncherException(String message) {
        super(message);
    }

    public LauncherException(String message, Throwable cause) {
        super(message, cause);
    }
}
