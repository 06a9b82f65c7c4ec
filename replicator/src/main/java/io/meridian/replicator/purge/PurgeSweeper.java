package io.meridian.replicator.purge;

import io.meridian.coherence.clock.WallClock;
import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.redis.CoherenceScripts;
import io.meridian.coherence.redis.RedisKeys;
import io.meridian.coherence.version.Version;
import io.meridian.replicator.config.ReplicatorConfig;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Reclaims the memory of purged copies in this region's Redis, in the background. Readers already treat them as
 * absent (the purge is recorded in {@link RedisKeys#PURGES}); the sweep {@code SCAN}s the purge's key pattern (every
 * generation of the namespace, or of the owner in it) and deletes each key whose version is not newer than the
 * purge, one script per key, so a value written after the purge is never touched. It also forgets purges older than
 * {@code meridian.purge-retention}: every value they covered has expired by then.
 */
@ApplicationScoped
public class PurgeSweeper {

    private static final Logger LOG = Logger.getLogger(PurgeSweeper.class);
    private static final int SCAN_COUNT = 500;
    private static final long FORGET_EVERY_MS = 60_000;

    private final Redis redis;
    private final Vertx vertx;
    private final CoherenceScripts scripts;
    private final MeterRegistry metrics;
    private final WallClock clock;
    private final long retentionMillis;
    private long timer = -1;

    public PurgeSweeper(
            Redis redis,
            Vertx vertx,
            MeterRegistry metrics,
            ReplicatorConfig config,
            CoherenceScripts scripts,
            WallClock clock) {
        this.redis = redis;
        this.vertx = vertx;
        this.metrics = metrics;
        this.scripts = scripts;
        this.clock = clock;
        this.retentionMillis = config.purgeRetention().toMillis();
    }

    void start(@Observes StartupEvent start) {
        timer = vertx.setPeriodic(
                FORGET_EVERY_MS, id -> forgetExpired().subscribe().with(done -> {}, failure -> {}));
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Starts sweeping the copies a purge just recorded here covers; returns at once. */
    public void sweep(CacheEvent.Purge purge) {
        String tail = glob(purge.namespace()) + ":" + (purge.wholeNamespace() ? "*" : glob(purge.owner()) + ":*");
        List<String> patterns = List.of("m:" + tail, "m~*:" + tail);
        Uni.join()
                .all(patterns.stream()
                        .map(pattern -> scan(pattern, "0", purge.version(), 0))
                        .toList())
                .andFailFast()
                .subscribe()
                .with(
                        swept -> {
                            long total =
                                    swept.stream().mapToLong(Long::longValue).sum();
                            metrics.counter("meridian.replicator.purge.swept", "namespace", purge.namespace())
                                    .increment(total);
                            LOG.infof(
                                    "purge of %s%s swept %d keys",
                                    purge.namespace(), purge.wholeNamespace() ? "" : " owner " + purge.owner(), total);
                        },
                        failure -> LOG.warnf(
                                "purge sweep of %s stopped: %s (readers still see the purge; the keys expire by TTL)",
                                purge.namespace(), failure.getMessage()));
    }

    private Uni<Long> scan(String pattern, String cursor, Version version, long sweptSoFar) {
        return send(Request.cmd(Command.SCAN)
                        .arg(cursor)
                        .arg("MATCH")
                        .arg(pattern)
                        .arg("COUNT")
                        .arg(SCAN_COUNT))
                .chain(reply -> {
                    String next = reply.get(0).toString();
                    List<Uni<Boolean>> deletes = new ArrayList<>();
                    for (Response key : reply.get(1)) {
                        deletes.add(Uni.createFrom()
                                .completionStage(() -> scripts.deleteIfNotNewer(key.toString(), version)
                                        .toCompletionStage()));
                    }
                    Uni<Long> swept = deletes.isEmpty()
                            ? Uni.createFrom().item(sweptSoFar)
                            : Uni.join()
                                    .all(deletes)
                                    .andFailFast()
                                    .map(done -> sweptSoFar
                                            + done.stream()
                                                    .filter(Boolean::booleanValue)
                                                    .count());
                    return next.equals("0") ? swept : swept.chain(count -> scan(pattern, next, version, count));
                });
    }

    /** Drops purges whose version is older than the retention: nothing they covered is left. */
    Uni<Void> forgetExpired() {
        long horizon = clock.millis() - retentionMillis;
        return send(Request.cmd(Command.HGETALL).arg(RedisKeys.PURGES))
                .chain(all -> {
                    List<Uni<Boolean>> forgets = new ArrayList<>();
                    if (all != null) {
                        for (String field : all.getKeys()) {
                            byte[] bytes = all.get(field).toBytes();
                            if (field.equals(RedisKeys.PURGE_EPOCH) || bytes.length != Version.BYTES) {
                                continue;
                            }
                            Version version = Version.fromBytes(bytes, 0);
                            if (version.wallMillis() < horizon) {
                                forgets.add(Uni.createFrom()
                                        .completionStage(() -> scripts.forgetPurge(field, version)
                                                .toCompletionStage()));
                            }
                        }
                    }
                    return forgets.isEmpty()
                            ? Uni.createFrom().voidItem()
                            : Uni.join().all(forgets).andFailFast().replaceWithVoid();
                })
                .onFailure()
                .invoke(failure -> LOG.debugf("cannot forget old purges: %s", failure.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Escapes the glob characters of {@code SCAN MATCH} in a namespace or owner name. */
    static String glob(String literal) {
        return literal.replaceAll("([\\\\*?\\[\\]])", "\\\\$1");
    }

    private Uni<Response> send(Request request) {
        return Uni.createFrom().completionStage(() -> redis.send(request).toCompletionStage());
    }
}
