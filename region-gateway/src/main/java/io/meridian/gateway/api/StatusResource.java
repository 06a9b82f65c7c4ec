package io.meridian.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.meridian.coherence.clock.WallClock;
import io.meridian.gateway.config.Regions;
import io.meridian.gateway.degradation.Degradation;
import io.meridian.gateway.hotkeys.HotKeys;
import io.meridian.gateway.kafka.BufferRelay;
import io.meridian.gateway.kafka.EventLog;
import io.meridian.gateway.metrics.GatewayMetrics;
import io.meridian.gateway.purge.Purges;
import io.meridian.gateway.routing.WatermarkView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** This region at a glance, for operators and for {@code ./meridian status}. */
@Path("/v1/status")
@Tag(name = "operations")
class StatusResource {

    private final WallClock wall;

    private final Regions regions;
    private final GatewayMetrics metrics;
    private final WatermarkView watermarks;
    private final HotKeys hotKeys;
    private final Purges purges;
    private final Degradation degradation;
    private final io.meridian.gateway.routing.Handovers handovers;
    private final BufferRelay relay;
    private final EventLog log;

    public StatusResource(
            io.meridian.gateway.routing.Handovers handovers,
            Regions regions,
            GatewayMetrics metrics,
            WatermarkView watermarks,
            HotKeys hotKeys,
            Purges purges,
            Degradation degradation,
            BufferRelay relay,
            EventLog log,
            WallClock wall) {
        this.wall = wall;
        this.relay = relay;
        this.log = log;
        this.degradation = degradation;
        this.handovers = handovers;
        this.hotKeys = hotKeys;
        this.purges = purges;
        this.regions = regions;
        this.metrics = metrics;
        this.watermarks = watermarks;
    }

    /**
     * The region's status.
     *
     * @param level this gateway's degradation level
     * @param switchedOff the features the level switches off
     * @param replication per source region: lag and watermark age (filled once the replicator reports them)
     * @param hitRate hits over reads since the gateway started; absent before the first read
     * @param hotKeys this gateway's hot keys of the last window, most read first
     * @param purges the purges recorded in this region (each namespace, and each owner in it), newest first
     * @param role read-write, or read-only (never a home)
     * @param handovers home regions with a planned handover under way, and its state (absent when none)
     * @param eventBuffer the region's event buffer (writes kept while Kafka was unavailable)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RegionStatus(
            String region,
            String level,
            java.util.List<String> switchedOff,
            Map<String, SourceLag> replication,
            Double hitRate,
            java.util.List<HotKeys.Hot> hotKeys,
            java.util.List<Purges.Recorded> purges,
            String role,
            Map<String, String> handovers,
            EventBufferStatus eventBuffer) {}

    /**
     * The region's event buffer.
     *
     * @param length events waiting to be sent to Kafka, as this gateway last read it
     * @param draining whether this gateway is holding its own sends to Kafka back until the buffer is empty
     */
    public record EventBufferStatus(long length, boolean draining) {}

    /**
     * Replication from one source region into this one.
     *
     * @param lagSeconds now minus the wall time of the applied watermark (null while unknown)
     * @param watermark the applied watermark, as a hybrid logical clock value (null while unknown)
     * @param reading whether this region's replicator reads the source's log now (null while it reports nothing)
     * @param error why it does not (null while it does)
     * @param since when reading last started or stopped, ISO-8601 (null while unknown)
     * @param lastEventAgeSeconds time since the last event of the source arrived (null before the first)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SourceLag(
            Double lagSeconds,
            Long watermark,
            Boolean reading,
            String error,
            String since,
            Double lastEventAgeSeconds) {}

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "This region's name, degradation level, replication lag per source, hit rate, hot keys, recorded purges"
                            + " and event buffer")
    public RegionStatus status() {
        double hitRate = metrics.hitRate();
        Map<String, SourceLag> replication = new TreeMap<>();
        for (String source : regions.names()) {
            double lag = watermarks.lagSeconds(source);
            OptionalLong watermark = watermarks.watermark(source);
            java.util.Optional<WatermarkView.SourceState> state = watermarks.sourceState(source);
            long now = wall.millis();
            replication.put(
                    source,
                    new SourceLag(
                            Double.isNaN(lag) ? null : lag,
                            watermark.isPresent() ? watermark.getAsLong() : null,
                            state.map(WatermarkView.SourceState::up).orElse(null),
                            state.map(WatermarkView.SourceState::error)
                                    .filter(error -> !error.isEmpty())
                                    .orElse(null),
                            state.map(WatermarkView.SourceState::since)
                                    .filter(since -> since > 0)
                                    .map(since -> java.time.Instant.ofEpochMilli(since)
                                            .toString())
                                    .orElse(null),
                            state.map(WatermarkView.SourceState::lastRecord)
                                    .filter(last -> last > 0)
                                    .map(last -> Math.max(0, now - last) / 1000.0)
                                    .orElse(null)));
        }
        return new RegionStatus(
                regions.self(),
                degradation.level().name(),
                DegradationResource.state(degradation).switchedOff(),
                replication,
                Double.isNaN(hitRate) ? null : hitRate,
                hotKeys.current(),
                purges.recorded(),
                regions.readOnly() ? "read-only" : "read-write",
                handovers.all().isEmpty() ? null : handovers.shown(),
                new EventBufferStatus(relay.length(), log.draining()));
    }
}
