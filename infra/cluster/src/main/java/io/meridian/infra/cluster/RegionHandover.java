package io.meridian.infra.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.coherence.event.HomeAssignment;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Planned moves of a region's homed keys, driven through every region's {@code /v1/admin/handovers}:
 *
 * <ul>
 *   <li><b>drain</b>: the region refuses its keys' writes ({@code draining}); once every other region's watermark of
 *       it has passed its clock at that moment (every write it acknowledged is applied everywhere), every region
 *       homes its keys in their next region ({@code moved}). Writes of those keys are paused only meanwhile.
 *   <li><b>failover</b>: a drain when the region answers; when it does not, the other regions move its keys at once
 *       (its writes that no other region has applied yet come back with its log and are merged by version).
 *   <li><b>failback</b>: the interim homes refuse the keys' writes ({@code returning}); once every region's watermark
 *       of every region has passed the latest clock among them, the region homes its keys again.
 * </ul>
 *
 * A step that does not complete within {@link #CATCH_UP_LIMIT} is rolled back and reported.
 */
public final class RegionHandover {

    /** Longest wait for the watermarks to catch up before a move is rolled back. */
    static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(60);

    /** Pause after a state change so that every gateway of a region has read it (they read it every 250 ms). */
    private static final long SETTLE_MILLIS = 600;

    private final Map<String, String> gateways;
    private final PrintWriter out;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    private final String kafka;

    /**
     * @param gateways region name → gateway base URL, every region of the deployment
     * @param kafka the bootstrap servers of the regions' Kafka, where a region that does not answer is told of its
     *     failover (its control topic)
     */
    public RegionHandover(Map<String, String> gateways, PrintWriter out, String kafka) {
        this.gateways = new TreeMap<>(gateways);
        this.out = out;
        this.kafka = kafka;
    }

    /** What a move did: how long it took and how long the keys' writes were paused. */
    public record Outcome(long tookMillis, long pausedMillis) {}

    public Outcome drain(String region) throws InterruptedException {
        require(region);
        long started = System.currentTimeMillis();
        setEverywhere(region, "draining", others(region), true, Map.of());
        long hlc = clockOf(region);
        progress("draining " + region + ": its writes are paused; waiting for every region to apply its log up to "
                + hlc);
        if (!waitForWatermarks(others(region), List.of(region), hlc)) {
            clearEverywhere(region, List.of(region));
            throw new ClusterException("the other regions did not catch up on " + region + " within "
                    + CATCH_UP_LIMIT.toSeconds() + " s; the drain was rolled back and " + region
                    + " homes its keys again");
        }
        List<String> order = new ArrayList<>(others(region));
        order.add(region);
        setEverywhere(region, "moved", order, false, Map.of());
        long took = System.currentTimeMillis() - started;
        progress(region + " drained: its keys are homed in their next regions (writes paused " + took + " ms)");
        return new Outcome(took, took);
    }

    public Outcome failover(String region) throws InterruptedException {
        require(region);
        if (answers(region)) {
            return drain(region);
        }
        long started = System.currentTimeMillis();
        List<String> reachable = others(region).stream().filter(this::answers).toList();
        // The fence: the next regions take none of its keys' writes before they have applied its log up to here.
        Map<Integer, Long> fence = Map.of();
        try {
            fence = endOffsets(io.meridian.coherence.event.EventTopics.events(region));
        } catch (ClusterException e) {
            progress("WARNING: " + e.getMessage() + "; the next regions take " + region + "'s keys without waiting"
                    + " for its log (writes it acknowledged and no region applied yet are merged by version)");
        }
        HomeAssignment moved = new HomeAssignment("moved", nextEpoch(region), fence);
        // Recorded first where the region will read it when it is back: its control topic. Until it has read it, a
        // returning gateway does not answer for its keys, so it cannot take them back behind the others' backs.
        boolean recorded = true;
        try {
            recordInControlTopic(region, moved.encode());
        } catch (ClusterException e) {
            // The move goes on (the region's keys must be writable), but the region will not learn of it by itself.
            recorded = false;
            progress("WARNING: " + e.getMessage() + "; before " + region + "'s gateways start again, run ./meridian"
                    + " region failover " + region + " once its Kafka answers, or it takes its keys back");
        }
        for (String each : reachable) {
            set(each, region, moved);
        }
        Thread.sleep(SETTLE_MILLIS);
        progress(region + " does not answer: " + reachable + " home its keys in their next regions now (epoch "
                + moved.epoch() + "), once each has applied its log up to " + (fence.isEmpty() ? "(unknown)" : fence));
        if (recorded) {
            progress("recorded in " + region + "'s control topic: when it is back it forwards its keys' writes to"
                    + " them; ./meridian region failback " + region + " gives them back once it has caught up");
        }
        long took = System.currentTimeMillis() - started;
        return new Outcome(took, 0);
    }

    public Outcome failback(String region) throws InterruptedException {
        require(region);
        long started = System.currentTimeMillis();
        List<String> all = List.copyOf(gateways.keySet());
        setEverywhere(region, "returning", all, true, Map.of());
        long hlc = 0;
        for (String each : all) {
            hlc = Math.max(hlc, clockOf(each));
        }
        progress("returning " + region + ": its keys' writes are paused; waiting for every region to apply every"
                + " log up to " + hlc);
        if (!waitForWatermarks(all, all, hlc)) {
            setEverywhere(region, "moved", all, false, Map.of());
            throw new ClusterException("the regions did not catch up within " + CATCH_UP_LIMIT.toSeconds()
                    + " s; the failback was rolled back and " + region + "'s keys stay in their next regions");
        }
        List<String> order = new ArrayList<>();
        order.add(region);
        order.addAll(others(region));
        clearEverywhere(region, order);
        long took = System.currentTimeMillis() - started;
        progress(region + " homes its keys again (writes paused " + took + " ms)");
        return new Outcome(took, took);
    }

    /** Appends a region's assignment to its control topic (see the gateway's ControlLog), acknowledged by all. */
    private void recordInControlTopic(String region, String assignment) {
        if (kafka == null) {
            throw new ClusterException("no Kafka address known: cannot record the failover of " + region);
        }
        java.util.Map<String, Object> settings = java.util.Map.of(
                org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all",
                org.apache.kafka.clients.producer.ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                org.apache.kafka.clients.producer.ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000,
                org.apache.kafka.clients.producer.ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(
                settings,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                            io.meridian.coherence.event.EventTopics.control(region),
                            0,
                            io.meridian.coherence.event.ControlRecords.handoverKey(region),
                            assignment))
                    .get(15, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new ClusterException("cannot record the failover of " + region + " in its control topic: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while recording the failover of " + region);
        }
    }

    private void require(String region) {
        if (!gateways.containsKey(region)) {
            throw new ClusterException("no region " + region + "; regions: " + gateways.keySet());
        }
        if (gateways.size() < 2) {
            throw new ClusterException("a handover needs at least two regions");
        }
    }

    private List<String> others(String region) {
        return gateways.keySet().stream().filter(each -> !each.equals(region)).toList();
    }

    /**
     * Sets a region's state in every region of {@code order} under one new epoch (one more than the latest any of them
     * holds), so that all of them agree on the assignment once each one has taken it.
     */
    private void setEverywhere(String region, String state, List<String> order, boolean first, Map<Integer, Long> fence)
            throws InterruptedException {
        List<String> targets = new ArrayList<>(order);
        if (first && !targets.contains(region)) {
            targets.add(0, region);
        }
        HomeAssignment assignment = new HomeAssignment(state, nextEpoch(region), fence);
        for (String each : targets) {
            set(each, region, assignment);
        }
        Thread.sleep(SETTLE_MILLIS);
    }

    private void clearEverywhere(String region, List<String> order) throws InterruptedException {
        List<String> targets = new ArrayList<>(order);
        if (!targets.contains(region)) {
            targets.add(0, region);
        }
        long epoch = nextEpoch(region);
        for (String each : targets) {
            JsonNode answer = call(each, "DELETE", "/v1/admin/handovers/" + region + "?epoch=" + epoch, null);
            if (answer.path("states").has(region)) {
                throw new ClusterException(each + " did not clear the handover state of " + region);
            }
        }
        Thread.sleep(SETTLE_MILLIS);
    }

    private void set(String at, String region, HomeAssignment assignment) {
        com.fasterxml.jackson.databind.node.ObjectNode body = ClusterDescription.JSON.createObjectNode();
        body.put("state", assignment.state()).put("epoch", assignment.epoch());
        com.fasterxml.jackson.databind.node.ObjectNode fence = body.putObject("fence");
        assignment.fence().forEach((partition, end) -> fence.put(Integer.toString(partition), end));
        JsonNode answer = call(at, "PUT", "/v1/admin/handovers/" + region, body.toString());
        if (!assignment.state().equals(answer.path("states").path(region).asText())) {
            throw new ClusterException(at + " did not take the handover state " + assignment.state() + " of " + region);
        }
    }

    /**
     * @return one more than the latest epoch of the region's assignment that any region answering now holds: every
     *     region is told the same new epoch, and none of them takes an older one
     */
    private long nextEpoch(String region) {
        long latest = 0;
        for (String each : gateways.keySet()) {
            try {
                latest = Math.max(
                        latest,
                        call(each, "GET", "/v1/admin/handovers", null)
                                .path("epochs")
                                .path(region)
                                .asLong(0));
            } catch (ClusterException away) {
                // A region that does not answer is told of the change in its control topic, or when it is back.
            }
        }
        return latest + 1;
    }

    /** @return partition → end offset of a topic now, read from the regions' Kafka */
    private Map<Integer, Long> endOffsets(String topic) {
        if (kafka == null) {
            throw new ClusterException("no Kafka address known: cannot read the end of " + topic);
        }
        Map<String, Object> settings = Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (var admin = org.apache.kafka.clients.admin.Admin.create(settings)) {
            var partitions = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(15, java.util.concurrent.TimeUnit.SECONDS)
                    .get(topic)
                    .partitions();
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
                    new java.util.HashMap<>();
            partitions.forEach(partition -> latest.put(
                    new org.apache.kafka.common.TopicPartition(topic, partition.partition()),
                    org.apache.kafka.clients.admin.OffsetSpec.latest()));
            Map<Integer, Long> ends = new TreeMap<>();
            admin.listOffsets(latest)
                    .all()
                    .get(15, java.util.concurrent.TimeUnit.SECONDS)
                    .forEach((partition, info) -> ends.put(partition.partition(), info.offset()));
            return ends;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new ClusterException("cannot read the end of " + topic + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while reading the end of " + topic);
        }
    }

    private long clockOf(String region) {
        return call(region, "GET", "/v1/admin/handovers", null).path("hlc").asLong();
    }

    private boolean answers(String region) {
        try {
            call(region, "GET", "/v1/admin/handovers", null);
            return true;
        } catch (ClusterException e) {
            return false;
        }
    }

    /** Waits until every region in {@code readers} has applied every source in {@code sources} up to {@code hlc}. */
    private boolean waitForWatermarks(List<String> readers, List<String> sources, long hlc)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + CATCH_UP_LIMIT.toMillis();
        while (System.currentTimeMillis() < deadline) {
            boolean all = true;
            for (String reader : readers) {
                JsonNode replication = call(reader, "GET", "/v1/status", null).path("replication");
                for (String source : sources) {
                    if (!source.equals(reader)
                            && replication.path(source).path("watermark").asLong(-1) < hlc) {
                        all = false;
                    }
                }
            }
            if (all) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private JsonNode call(String region, String method, String path, String body) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(gateways.get(region) + path)).timeout(Duration.ofSeconds(3));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new ClusterException(region + " answered " + method + " " + path + " with "
                        + response.statusCode() + ": " + response.body());
            }
            return ClusterDescription.JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new ClusterException(region + " did not answer " + method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted", e);
        }
    }

    private void progress(String line) {
        out.println("[region] " + line);
        out.flush();
    }
}
