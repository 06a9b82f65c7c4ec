package io.meridian.coherence.event;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names of the Kafka topics that carry each region's events. One topic per home region. */
public final class EventTopics {

    /** Matches every region's event topic; a replicator subscribes to this pattern to follow every region. */
    public static final Pattern ALL_EVENTS = Pattern.compile("meridian\\.([a-z0-9][a-z0-9-]*)\\.events");

    private EventTopics() {}

    /** The event topic of a home region: {@code meridian.<region>.events}. */
    public static String events(String region) {
        return "meridian." + region + ".events";
    }

    /** The dead-letter topic of a consuming region: {@code meridian.<region>.dead-letters}. */
    /**
     * A region's control topic: compacted, one partition; the region's control state that is not derived from the
     * event logs (handover states), kept there durably so that it survives the loss of the region's cache Redis.
     */
    public static String control(String region) {
        return "meridian." + region + ".control";
    }

    public static String deadLetters(String region) {
        return "meridian." + region + ".dead-letters";
    }

    /** @return the home region whose events a topic carries, or empty when it is not an event topic */
    public static Optional<String> sourceRegion(String topic) {
        Matcher matcher = ALL_EVENTS.matcher(topic);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
