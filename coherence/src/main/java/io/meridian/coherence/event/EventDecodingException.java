package io.meridian.coherence.event;

/** An event that cannot be decoded: a poison event, never worth retrying; it belongs in the dead-letter topic. */
public final class EventDecodingException extends RuntimeException {

    public EventDecodingException(String reason) {
        super(reason);
    }
}
