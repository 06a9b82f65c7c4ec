package io.meridian.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.meridian.gateway.cache.Regions;
import io.meridian.gateway.metrics.GatewayMetrics;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** This region at a glance, for operators and for {@code ./meridian status}. */
@Path("/v1/status")
@Tag(name = "operations")
public class StatusResource {

    private final Regions regions;
    private final GatewayMetrics metrics;

    public StatusResource(Regions regions, GatewayMetrics metrics) {
        this.regions = regions;
        this.metrics = metrics;
    }

    /**
     * The region's status.
     *
     * @param replication per source region: lag and watermark age (filled once the replicator reports them)
     * @param hitRate hits over reads since the gateway started; absent before the first read
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RegionStatus(String region, String level, Map<String, SourceLag> replication, Double hitRate) {}

    /** Replication from one source region. */
    public record SourceLag(double lagSeconds, double watermarkAgeSeconds) {}

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "This region's name, degradation level, replication lag per source and hit rate")
    public RegionStatus status() {
        double hitRate = metrics.hitRate();
        return new RegionStatus(regions.self(), "NORMAL", Map.of(), Double.isNaN(hitRate) ? null : hitRate);
    }
}
