package io.meridian.infra.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.infra.cluster.ClusterDescription;
import io.meridian.infra.cluster.HttpProbe;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code status} shows for one region, read from its gateway's {@code /q/health/ready} and {@code /v1/status}
 * and its replicator's readiness. Fields the gateway does not report (yet) show as {@code -}: the table must work
 * against every gateway version, and a region that is down is a row, not an error.
 */
record RegionStatus(
        String name, String gateway, String readiness, String level, String replicator, String lag, String hitRate) {

    static final String DOWN = "DOWN";

    static RegionStatus probe(HttpProbe probe, ClusterDescription.Region region) {
        int ready = probe.statusCode(region.gateway() + "/q/health/ready");
        String readiness = ready == 200 ? "UP" : ready < 0 ? DOWN : "NOT READY (" + ready + ")";
        Optional<JsonNode> status = ready < 0 ? Optional.empty() : probe.json(region.gateway() + "/v1/status");
        String replicator = region.replicator() == null ? "-" : probe.isReady(region.replicator()) ? "UP" : DOWN;
        return new RegionStatus(
                region.name(),
                region.gateway(),
                readiness,
                status.map(s -> s.path("level").asText("-")).orElse("-"),
                replicator,
                status.map(RegionStatus::lag).orElse("-"),
                status.map(RegionStatus::hitRate).orElse("-"));
    }

    /** {@code eu-west 0.004s, ap-south 0.012s}: replication lag from each source region. */
    private static String lag(JsonNode status) {
        JsonNode replication = status.path("replication");
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = replication.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> source = it.next();
            JsonNode lag = source.getValue().path("lagSeconds");
            parts.add(source.getKey() + " " + (lag.isNumber() ? format(lag.asDouble()) + "s" : "?"));
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    private static String hitRate(JsonNode status) {
        JsonNode rate = status.path("hitRate");
        return rate.isNumber() ? String.format(Locale.ROOT, "%.1f%%", rate.asDouble() * 100) : "-";
    }

    private static String format(double seconds) {
        return String.format(Locale.ROOT, seconds < 10 ? "%.3f" : "%.1f", seconds);
    }
}
