package io.meridian.coherence.routing;

import java.util.Locale;

/** A natural home region's handover state; a region without one executes its keys' writes as usual. */
public enum HandoverState {
    /** The region finishes its writes in flight and refuses new ones, before its keys move. */
    DRAINING,
    /** The region's keys are executed by the next region of their ranking. */
    MOVED,
    /** The keys go back to the region; their writes wait until it has caught up. */
    RETURNING;

    /** @return the state's name as the API and the status show it */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the region's keys are homed elsewhere in this state. */
    public boolean moved() {
        return this != DRAINING;
    }
}
