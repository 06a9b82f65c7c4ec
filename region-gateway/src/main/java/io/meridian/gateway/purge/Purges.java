package io.meridian.gateway.purge;

import io.meridian.coherence.clock.HybridLogicalClock;
import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.placement.Placement;
import io.meridian.coherence.redis.CoherenceScripts;
import io.meridian.coherence.redis.RedisKeys;
import io.meridian.coherence.version.Version;
import io.meridian.gateway.config.MeridianConfig;
import io.meridian.gateway.config.Namespaces;
import io.meridian.gateway.kafka.EventLog;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * Purges of a whole namespace or of one owner's keys, in O(1) on the request path: a purge is an event with a version
 * (log first, like any write), recorded by every region in its purge hash ({@link RedisKeys#PURGES}); every copy whose
 * version is not newer than a purge covering it reads as absent. This gateway keeps the hash in memory and reads it
 * again whenever its epoch field changes (polled every {@code meridian.purge-refresh}); the replicators' sweep
 * reclaims the purged copies' memory later.
 */
@ApplicationScoped
public class Purges {

    private static final Logger LOG = Logger.getLogger(Purges.class);

    /** A recorded purge, for {@code /v1/status}. */
    public record Recorded(String namespace, String owner, String version, String at) {}

    private final Namespaces namespaces;
    private final EventLog log;
    private final HybridLogicalClock clock;
    private final Redis redis;
    private final Vertx vertx;
    private final CoherenceScripts scripts;
    private final long refreshMillis;
    private final List<Runnable> onChange = new CopyOnWriteArrayList<>();
    private volatile Map<String, Version> marks = Map.of();
    private volatile String epoch = "";
    private long timer = -1;

    public Purges(
            Namespaces namespaces,
            EventLog log,
            HybridLogicalClock clock,
            Redis redis,
            Vertx vertx,
            MeridianConfig config,
            CoherenceScripts scripts) {
        this.namespaces = namespaces;
        this.log = log;
        this.clock = clock;
        this.redis = redis;
        this.vertx = vertx;
        this.scripts = scripts.withoutGrace();
        this.refreshMillis = config.purgeRefresh().toMillis();
    }

    void start(@Observes StartupEvent start) {
        timer = vertx.setPeriodic(refreshMillis, id -> refresh().subscribe().with(done -> {}, failure -> {}));
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Calls {@code listener} whenever the set of purges changes (caches in front of Redis drop their entries). */
    public void onChange(Runnable listener) {
        onChange.add(listener);
    }

    /** @return whether a purge covers a copy of {@code key} with {@code version} */
    public boolean covers(String ns, String key, Version version) {
        Map<String, Version> now = marks;
        if (now.isEmpty()) {
            return false;
        }
        Version whole = now.get(RedisKeys.purgeField(ns, ""));
        if (whole != null && version.compareTo(whole) <= 0) {
            return true;
        }
        if (!namespaces.ownerPlaced(ns)) {
            return false;
        }
        Version owner = now.get(RedisKeys.purgeField(ns, Placement.Owner.ownerOf(key)));
        return owner != null && version.compareTo(owner) <= 0;
    }

    /**
     * Purges every key of {@code namespaces} (owner empty) or of one owner in them, in every region: one event per
     * namespace in this region's log, then recorded here at once.
     *
     * @return the purge's version
     */
    public Uni<Version> purge(List<String> namespaceNames, String owner) {
        List<Uni<Version>> appended = new ArrayList<>();
        for (String ns : namespaceNames) {
            appended.add(log.append(assigned -> new CacheEvent.Purge(ns, owner, assigned))
                    .call(assigned -> Uni.createFrom()
                            .completionStage(() -> scripts.recordPurge(new CacheEvent.Purge(ns, owner, assigned))
                                    .toCompletionStage())));
        }
        return Uni.join()
                .all(appended)
                .andFailFast()
                .call(this::refresh)
                .map(versions ->
                        versions.stream().max(Comparator.naturalOrder()).orElseThrow());
    }

    /** @return the purges recorded in this region, newest first */
    public List<Recorded> recorded() {
        return marks.entrySet().stream()
                .sorted(Map.Entry.<String, Version>comparingByValue().reversed())
                .map(entry -> {
                    int slash = entry.getKey().indexOf('/');
                    return new Recorded(
                            entry.getKey().substring(0, slash),
                            entry.getKey().substring(slash + 1),
                            entry.getValue().toHex(),
                            Instant.ofEpochMilli(entry.getValue().wallMillis()).toString());
                })
                .toList();
    }

    /** Reads the purge hash again if its epoch moved. */
    Uni<Void> refresh() {
        return send(Request.cmd(Command.HGET).arg(RedisKeys.PURGES).arg(RedisKeys.PURGE_EPOCH))
                .chain(reply -> {
                    String now = reply == null ? "" : reply.toString();
                    if (now.equals(epoch)) {
                        return Uni.createFrom().voidItem();
                    }
                    return send(Request.cmd(Command.HGETALL).arg(RedisKeys.PURGES))
                            .invoke(all -> load(all, now))
                            .replaceWithVoid();
                })
                .onFailure()
                .invoke(failure -> LOG.debugf("cannot read the purges: %s", failure.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    private void load(Response all, String newEpoch) {
        Map<String, Version> loaded = new HashMap<>();
        if (all != null) {
            for (String field : all.getKeys()) {
                if (field.equals(RedisKeys.PURGE_EPOCH)) {
                    continue;
                }
                byte[] bytes = all.get(field).toBytes();
                if (bytes.length == Version.BYTES) {
                    Version version = Version.fromBytes(bytes, 0);
                    loaded.put(field, version);
                    // A write after the purge must carry a newer version, whatever this gateway's clock says.
                    try {
                        clock.observe(version.hlc());
                    } catch (IllegalArgumentException tooFarAhead) {
                        LOG.warnf("purge %s has a version far ahead of this clock: %s", field, version);
                    }
                }
            }
        }
        marks = Map.copyOf(loaded);
        epoch = newEpoch;
        onChange.forEach(Runnable::run);
    }

    private Uni<Response> send(Request request) {
        return Uni.createFrom().completionStage(() -> redis.send(request).toCompletionStage());
    }
}
