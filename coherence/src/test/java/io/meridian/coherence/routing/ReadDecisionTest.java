package io.meridian.coherence.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.coherence.redis.StoredEntry;
import io.meridian.coherence.redis.StoredValue;
import io.meridian.coherence.routing.ReadDecision.Plan;
import io.meridian.coherence.session.SessionToken;
import io.meridian.coherence.version.Version;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every branch of the read decision, one row each: the facts that differ from a plain read, and the plan. */
class ReadDecisionTest {

    private static final String SELF = "us-east";
    private static final String OTHER = "eu-west";
    private static final Version V1 = new Version(1_000L << 16, 1);
    private static final Version V2 = new Version(2_000L << 16, 1);

    private static final StoredEntry LIVE = new StoredEntry(value(V1), 60_000);
    private static final StoredEntry EXPIRED = new StoredEntry(value(V1), -500);
    private static final StoredEntry TOMBSTONE = new StoredEntry(StoredValue.tombstone(V1), 60_000);

    private static final Route OWN = new Route(SELF, SELF, List.of());
    private static final Route INTERIM = new Route(OTHER, SELF, List.of(OTHER));
    private static final Route REMOTE = new Route(OTHER, OTHER, List.of());
    private static final Route REMOTE_AFTER_MOVE = new Route(SELF, OTHER, List.of(SELF));

    /** A plain read: fresh reads allowed, no token, no origin, nothing rebuilding, watermarks unknown. */
    private static ReadDecision.Facts plain(Route route, StoredEntry local) {
        return new ReadDecision.Facts(
                SELF, route, local, SessionToken.EMPTY, region -> -1, true, 5_000, false, false, false, false, true);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row(
                        "degraded: an expired copy within the stale window answers",
                        OWN,
                        EXPIRED,
                        f -> degraded(f),
                        Plan.STALE),
                row(
                        "degraded, but the reader has seen the home: no stale answer",
                        REMOTE,
                        EXPIRED,
                        f -> token(degraded(f), OTHER, V1),
                        Plan.FILL_FROM_HOME),
                row(
                        "degraded, but expired past the stale window",
                        REMOTE,
                        new StoredEntry(value(V1), -9_000),
                        f -> degraded(f),
                        Plan.FILL_FROM_HOME),
                row("degraded, a tombstone is never stale data", REMOTE, TOMBSTONE, f -> degraded(f), Plan.LOCAL),
                row("own key while the cache is rebuilt", OWN, LIVE, f -> rebuilding(f), Plan.UNAVAILABLE_REBUILDING),
                row("own key while the region catches up", OWN, LIVE, f -> catchingUp(f), Plan.UNAVAILABLE_RECOVERING),
                row("interim home: catching up concerns only own keys", INTERIM, LIVE, f -> catchingUp(f), Plan.LOCAL),
                row(
                        "interim home: the copy is behind what the reader saw from the former home",
                        INTERIM,
                        LIVE,
                        f -> token(f, OTHER, V2),
                        Plan.UNAVAILABLE_RECOVERING),
                row(
                        "interim home: the watermark of the former home passed what the reader saw",
                        INTERIM,
                        LIVE,
                        f -> watermark(token(f, OTHER, V2), OTHER, V2.hlc()),
                        Plan.LOCAL),
                row(
                        "read-through: an expired copy within stale-while-revalidate",
                        OWN,
                        EXPIRED,
                        f -> revalidating(readThrough(f)),
                        Plan.REVALIDATE),
                row("read-through: nothing here", OWN, StoredEntry.ABSENT, f -> readThrough(f), Plan.LOAD_FROM_ORIGIN),
                row(
                        "read-through: a tombstone here loads again",
                        OWN,
                        TOMBSTONE,
                        f -> readThrough(f),
                        Plan.LOAD_FROM_ORIGIN),
                row(
                        "read-through: a live copy due for an early refresh",
                        OWN,
                        LIVE,
                        f -> refreshEarly(readThrough(f)),
                        Plan.LOCAL_REFRESH_EARLY),
                row("read-through: a live copy", OWN, LIVE, f -> readThrough(f), Plan.LOCAL),
                row("no origin: an early refresh means nothing", OWN, LIVE, f -> refreshEarly(f), Plan.LOCAL),
                row("no origin, own key: a miss is the answer", OWN, StoredEntry.ABSENT, f -> f, Plan.LOCAL),
                row("remote home: a live copy", REMOTE, LIVE, f -> f, Plan.LOCAL),
                row("remote home: a tombstone answers", REMOTE, TOMBSTONE, f -> f, Plan.LOCAL),
                row(
                        "remote home, read-through: a tombstone is only an invalidation",
                        REMOTE,
                        TOMBSTONE,
                        f -> readThrough(f),
                        Plan.FILL_FROM_HOME),
                row("remote home: nothing here", REMOTE, StoredEntry.ABSENT, f -> f, Plan.FILL_FROM_HOME),
                row("remote home: an expired copy", REMOTE, EXPIRED, f -> f, Plan.FILL_FROM_HOME),
                row(
                        "remote home: the copy is older than the token",
                        REMOTE,
                        LIVE,
                        f -> token(f, OTHER, V2),
                        Plan.FILL_FROM_HOME),
                row(
                        "remote home: the copy is older, but the watermark passed the token",
                        REMOTE,
                        LIVE,
                        f -> watermark(token(f, OTHER, V2), OTHER, V2.hlc()),
                        Plan.LOCAL),
                row(
                        "remote home after a move: the copy is behind the former home (here)",
                        REMOTE_AFTER_MOVE,
                        LIVE,
                        f -> token(f, SELF, V2),
                        Plan.FILL_FROM_HOME),
                row(
                        "remote home after a move: the copy holds what the former home gave",
                        REMOTE_AFTER_MOVE,
                        LIVE,
                        f -> token(f, SELF, V1),
                        Plan.LOCAL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decides(String why, ReadDecision.Facts facts, Plan expected) {
        assertThat(ReadDecision.decide(facts)).as(why).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void satisfiesAll_needsTheHomeAndEveryFormerHome() {
        SessionToken token = SessionToken.EMPTY.with(OTHER, V1).with(SELF, V2);

        assertThat(ReadDecision.satisfiesAll(REMOTE, token, V1)).isTrue();
        assertThat(ReadDecision.satisfiesAll(REMOTE_AFTER_MOVE, token, V1)).isFalse();
        assertThat(ReadDecision.satisfiesAll(REMOTE_AFTER_MOVE, token, V2)).isTrue();
        assertThat(ReadDecision.satisfiesAll(REMOTE, token, null)).isFalse();
    }

    private static Arguments row(
            String why, Route route, StoredEntry local, UnaryOperator<ReadDecision.Facts> change, Plan expected) {
        return Arguments.of(why, change.apply(plain(route, local)), expected);
    }

    private static StoredValue value(Version version) {
        return StoredValue.value(version, "text/plain", "v".getBytes(StandardCharsets.UTF_8), 1);
    }

    private static ReadDecision.Facts with(ReadDecision.Facts f, Map<String, Object> changes) {
        return new ReadDecision.Facts(
                f.self(),
                f.route(),
                f.local(),
                (SessionToken) changes.getOrDefault("token", f.token()),
                (java.util.function.ToLongFunction<String>) changes.getOrDefault("watermark", f.watermark()),
                (boolean) changes.getOrDefault("fresh", f.freshReadsAllowed()),
                f.staleWindowMillis(),
                (boolean) changes.getOrDefault("readThrough", f.readThrough()),
                (boolean) changes.getOrDefault("revalidating", f.mayServeWhileRevalidating()),
                (boolean) changes.getOrDefault("refreshEarly", f.refreshEarly()),
                (boolean) changes.getOrDefault("rebuilding", f.rebuildingCache()),
                (boolean) changes.getOrDefault("ownKeys", f.mayAnswerOwnKeys()));
    }

    private static ReadDecision.Facts degraded(ReadDecision.Facts f) {
        return with(f, Map.of("fresh", false));
    }

    private static ReadDecision.Facts token(ReadDecision.Facts f, String region, Version seen) {
        return with(f, Map.of("token", f.token().with(region, seen)));
    }

    private static ReadDecision.Facts watermark(ReadDecision.Facts f, String region, long hlc) {
        java.util.function.ToLongFunction<String> watermark = source -> source.equals(region) ? hlc : -1;
        return with(f, Map.of("watermark", watermark));
    }

    private static ReadDecision.Facts rebuilding(ReadDecision.Facts f) {
        return with(f, Map.of("rebuilding", true));
    }

    private static ReadDecision.Facts catchingUp(ReadDecision.Facts f) {
        return with(f, Map.of("ownKeys", false));
    }

    private static ReadDecision.Facts readThrough(ReadDecision.Facts f) {
        return with(f, Map.of("readThrough", true));
    }

    private static ReadDecision.Facts revalidating(ReadDecision.Facts f) {
        return with(f, Map.of("revalidating", true));
    }

    private static ReadDecision.Facts refreshEarly(ReadDecision.Facts f) {
        return with(f, Map.of("refreshEarly", true));
    }
}
