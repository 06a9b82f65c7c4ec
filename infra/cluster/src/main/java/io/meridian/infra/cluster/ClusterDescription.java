package io.meridian.infra.cluster;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code .meridian/cluster.json}, exactly the shape CONTRACT.md promises users:
 * {@code {"kafka": "127.0.0.1:PORT", "regions": [{"name", "gateway", "replicator", "redis": [...]}], "apiKeys"}}.
 *
 * Beyond that shape, {@code origin} names the demo origin's base URL when one runs, and {@code links} the control
 * interface of the proxies between regions (see {@code RegionLinks}).
 *
 * @param apiKeys absent until the gateway has security; then {@code admin}, {@code reader}, {@code writer}
 * @param origin the demo origin's base URL; absent when the cluster runs without one
 * @param links the base URL of the region links' control interface; absent with a single region
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterDescription(
        String kafka, List<Region> regions, Map<String, String> apiKeys, String origin, String links) {

    static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public ClusterDescription {
        regions = List.copyOf(regions);
    }

    /**
     * One region's endpoints.
     *
     * @param replicator absent when the replicator was not started
     * @param redis {@code host:port} of each Redis node of the region (one in the standalone topology)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Region(String name, String gateway, String replicator, List<String> redis) {}

    /** Region name → gateway base URL, sorted by name. */
    @JsonIgnore
    public Map<String, String> gateways() {
        Map<String, String> gateways = new TreeMap<>();
        regions.forEach(region -> gateways.put(region.name(), region.gateway()));
        return gateways;
    }

    /** Reads {@code file}, or empty when there is none. */
    public static Optional<ClusterDescription> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), ClusterDescription.class));
        } catch (IOException e) {
            throw new ClusterException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code file} whole or not at all, so a reader never sees half a description. */
    public void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(), this);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ClusterException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
