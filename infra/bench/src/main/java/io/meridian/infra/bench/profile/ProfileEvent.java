package io.meridian.infra.bench.profile;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;

/**
 * The JFR events a flame graph is drawn from, and how each weighs a stack: a CPU sample counts one, an allocation
 * sample counts the bytes it stands for.
 */
enum ProfileEvent {
    /**
     * {@code jdk.ExecutionSample}: a thread caught running Java code, once per sampling period ({@code 10 ms} in JFR's
     * {@code profile} settings).
     */
    CPU("jdk.ExecutionSample", "samples", "sampledThread"),
    /**
     * {@code jdk.ObjectAllocationSample}: an allocation picked by JFR's throttled sampler; its {@code weight} is the
     * bytes allocated by the thread since the previous sample, so weights sum to the allocated bytes, not the sampled.
     */
    ALLOC("jdk.ObjectAllocationSample", "bytes", "eventThread");

    private final String eventName;
    private final String unit;
    private final String threadField;

    ProfileEvent(String eventName, String unit, String threadField) {
        this.eventName = eventName;
        this.unit = unit;
        this.threadField = threadField;
    }

    String eventName() {
        return eventName;
    }

    /** @return what the weights count, plural */
    String unit() {
        return unit;
    }

    /** @return the thread the sample was taken of */
    RecordedThread thread(RecordedEvent event) {
        return event.getThread(threadField);
    }

    long weight(RecordedEvent event) {
        return this == CPU ? 1 : event.getLong("weight");
    }
}
