package io.meridian.infra.drills;

import java.util.List;

/**
 * What a drill does to the cluster: injected a third of the way into the workload, healed two thirds of the way.
 * Detection and recovery are read from the regions' status unless the fault measures them itself.
 */
interface DrillFault {

    /** One line for the report: what was done, and to which region. */
    String description();

    /**
     * Injects the fault.
     *
     * @param violations where a fault that checks something during the fault records what went wrong
     */
    void inject(List<String> violations) throws Exception;

    /**
     * Heals the fault.
     *
     * @param violations where a fault that checks something while healing records what went wrong
     */
    void heal(List<String> violations) throws Exception;

    /** The region whose unreachable gateway counts as the fault being seen; null when none does. */
    default String victim() {
        return null;
    }

    /** Milliseconds from the injection until the fault was seen, when the fault measures that itself; else null. */
    default Long detectedMillis() {
        return null;
    }

    /** What the time to detect runs from and to, for the report. */
    default String detects() {
        return "fault to first lag or unreachable status";
    }

    /** Whether recovery counts from the injection (a fault that heals by itself) rather than from the heal. */
    default boolean recoversFromInjection() {
        return false;
    }

    /** The namespace the drill's clients write and read. */
    default String namespace() {
        return DrillWorkload.NAMESPACE;
    }

    /** The {@code Meridian-Priority} of the drill's clients; null sends none (priority 3). */
    default Integer priority() {
        return null;
    }

    /**
     * Checks of the fault's own beyond the common ones (no acknowledged write lost, read-your-writes, convergence).
     *
     * @param injectAt ms into the workload when the fault was injected
     * @param healAt ms into the workload when it was healed
     */
    default void check(List<DrillHistory.Op> ops, long injectAt, long healAt, List<String> violations) {}

    /** Whether one look at a region finds it back to normal after the heal. */
    default boolean recovered(DrillMonitor.Sample sample) {
        return sample.reachable() && sample.maxLagSeconds() < DrillRun.LAG_THRESHOLD_SECONDS;
    }

    /** What {@link #recovered} asks for, for messages. */
    default String normal() {
        return "reachable, lag under " + DrillRun.LAG_THRESHOLD_SECONDS + " s";
    }

    /** How long after the heal the drill waits for every region to be back to normal. */
    default java.time.Duration recoveryBound() {
        return DrillRun.CONVERGENCE_BOUND;
    }

    /** Figures of the fault's own for the report, as (name, value) pairs. */
    default List<String[]> figures() {
        return List.of();
    }

    /** Whether the fault must show in some region's status (lag or an unreachable gateway) to pass. */
    default boolean mustShowInStatus() {
        return detectedMillis() == null;
    }
}
