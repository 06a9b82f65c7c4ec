package io.meridian.coherence.routing;

import java.util.Optional;

/**
 * Where a write of one key runs, or why it is refused, decided from what the gateway knows, with no I/O. The gateway
 * carries it out for writes sent by clients and by other regions alike, and the coherence simulation's gateways decide
 * with it too. The table-driven {@code WriteDecisionTest} covers every branch.
 */
public final class WriteDecision {

    /** The decision, in the order the checks are made. */
    public enum Plan {
        /** Forwarded here, but this region does not home the key now. */
        REFUSE_NOT_HOME,
        /** Forwarded under another epoch of the natural home's assignment than this region holds. */
        REFUSE_EPOCH,
        /** The key's home is another region: the write goes there. */
        FORWARD,
        /** This region's cache is being rebuilt. */
        REFUSE_REBUILDING,
        /** This region took the key over and has not applied the former home's log up to the move's fence. */
        REFUSE_FENCE,
        /** The natural home is draining for a handover. */
        REFUSE_DRAINING,
        /** The key is returning to its natural home. */
        REFUSE_RETURNING,
        /** This region catches up on the writes others took for it before it answers for its own keys. */
        REFUSE_RECOVERING,
        /** This region executes the write. */
        EXECUTE
    }

    /**
     * What a write is decided on.
     *
     * @param self this region
     * @param natural the key's natural home
     * @param home the region that executes the key's writes now, as this region sees it
     * @param forwarded whether another region sent the write here as the key's home
     * @param sentEpoch the sender's epoch of the natural home's assignment (forwarded writes; empty when not sent)
     * @param heldEpoch this region's epoch of the natural home's assignment
     * @param rebuildingCache whether this region's cache is being rebuilt
     * @param fencePassed whether this region has applied the natural home's log up to its move's fence
     * @param state the natural home's handover state
     * @param mayAnswerOwnKeys whether this region answers for its own keys of the namespace now
     */
    public record Facts(
            String self,
            String natural,
            String home,
            boolean forwarded,
            Optional<Long> sentEpoch,
            long heldEpoch,
            boolean rebuildingCache,
            boolean fencePassed,
            Optional<HandoverState> state,
            boolean mayAnswerOwnKeys) {}

    private WriteDecision() {}

    /** @return where the write runs, or why it is refused */
    public static Plan decide(Facts facts) {
        boolean here = facts.home().equals(facts.self());
        if (facts.forwarded() && !here) {
            return Plan.REFUSE_NOT_HOME;
        }
        if (facts.forwarded()
                && facts.sentEpoch().isPresent()
                && facts.sentEpoch().get() != facts.heldEpoch()) {
            return Plan.REFUSE_EPOCH;
        }
        if (!here) {
            return Plan.FORWARD;
        }
        if (facts.rebuildingCache()) {
            return Plan.REFUSE_REBUILDING;
        }
        boolean own = facts.natural().equals(facts.self());
        if (!own && !facts.fencePassed()) {
            return Plan.REFUSE_FENCE;
        }
        if (facts.state().orElse(null) == HandoverState.DRAINING) {
            return Plan.REFUSE_DRAINING;
        }
        if (facts.state().orElse(null) == HandoverState.RETURNING) {
            return Plan.REFUSE_RETURNING;
        }
        if (own && !facts.mayAnswerOwnKeys()) {
            return Plan.REFUSE_RECOVERING;
        }
        return Plan.EXECUTE;
    }
}
