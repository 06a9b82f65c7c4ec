package io.meridian.coherence.simulation;

import io.meridian.coherence.event.CacheEvent;
import io.meridian.coherence.routing.HandoverState;
import io.meridian.coherence.routing.WriteDecision;
import io.meridian.coherence.version.Version;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The write path of {@link HomeMoveSimulation}: a request goes to the region its gateway believes executes the key
 * (forwarded over one link), which executes it under the key's lock:
 *
 * <ol>
 *   <li>refuse (503) unless this region executes the key in its view, is not draining it, is fenced in (has applied
 *       every log up to the assignment's fence) and is not rebuilding its Redis after a data loss;
 *   <li>take the key's lock; a request still waiting when its deadline (the client timeout) has passed gives up;
 *   <li>read the stored entry; a conditional put whose {@code If-Match} version is not the stored live value's is
 *       refused (412);
 *   <li>take a version from the region's HLC, after observing the stored version;
 *   <li>append to the region's log, decided after a delay (the produce waiting for Kafka's acknowledgement), which
 *       may fail (503); when appended, apply to the region's Redis with set-if-newer;
 *   <li>release the lock and answer.
 * </ol>
 *
 * A client that has no answer after its timeout takes the outcome as unknown; the home goes on and keeps the lock
 * until the append is decided (unless {@link HomeMoveConfig.Rules#lockUntilAppendDecided()} is off). A region that
 * crashes decides every append in flight at once (in the log or not, as Kafka had it) and answers nothing.
 */
final class HomeWrites {

    static final String NAMESPACE = "moves";
    private static final String TYPE = "text/plain";

    private record InFlight(HistoryChecker.Attempt attempt, CacheEvent event) {}

    private final Scheduler time;
    private final Random random;
    private final HomeMoveConfig config;
    private final HomeAssignments assignments;
    private final KeyLocks locks;
    private final HistoryChecker checker;
    private final LogShipping shipping;
    private final Function<String, Region> naturalHomeOf;
    private final Function<String, List<Region>> rankedOf;
    private final Predicate<Region> up;
    private final Predicate<Region> rebuilding;
    private final Trace trace;
    private final Map<Long, InFlight> inFlight = new HashMap<>();

    HomeWrites(
            Scheduler time,
            Random random,
            HomeMoveConfig config,
            HomeAssignments assignments,
            KeyLocks locks,
            HistoryChecker checker,
            LogShipping shipping,
            Function<String, List<Region>> rankedOf,
            Predicate<Region> up,
            Predicate<Region> rebuilding,
            Trace trace) {
        this.time = time;
        this.random = random;
        this.config = config;
        this.assignments = assignments;
        this.locks = locks;
        this.checker = checker;
        this.shipping = shipping;
        this.rankedOf = rankedOf;
        this.naturalHomeOf = key -> rankedOf.apply(key).get(0);
        this.up = up;
        this.rebuilding = rebuilding;
        this.trace = trace;
    }

    /** @return the region that {@code at} believes executes {@code key} */
    Region executorSeenBy(Region at, String key) {
        List<Region> ranked = rankedOf.apply(key);
        return assignments.viewOf(at, ranked.get(0)).moved() ? ranked.get(1) : ranked.get(0);
    }

    /**
     * Sends a write through {@code at}. {@code done} runs once: with the answer, or with {@link
     * HistoryChecker.Outcome#INDETERMINATE} when none came within the client timeout.
     */
    void write(Region at, HistoryChecker.Attempt attempt, Consumer<HistoryChecker.Outcome> done) {
        checker.invoked(attempt);
        Region executor = executorSeenBy(at, attempt.key);
        time.after(config.clientTimeoutMillis(), () -> {
            if (attempt.outcome == HistoryChecker.Outcome.PENDING) {
                checker.timedOut(attempt);
                trace(attempt.key, "client of %s times out", attempt);
                done.accept(HistoryChecker.Outcome.INDETERMINATE);
            }
            if (!config.rules().lockUntilAppendDecided()) {
                // The home's request deadline lets the key's lock go although the append is still undecided.
                locks.release(executor, attempt.key, attempt.id);
            }
        });
        this.<HistoryChecker.Outcome>forward(at, executor, reply -> execute(executor, attempt, reply), outcome -> {
            if (attempt.outcome == HistoryChecker.Outcome.PENDING) {
                checker.answered(attempt, outcome);
                done.accept(outcome);
            }
        });
    }

    /**
     * A read of the key's stored live version at its executor (to learn the version a conditional put names); {@code
     * done} runs with nothing when the executor does not serve the key now, and not at all when no answer comes.
     */
    void readAtHome(Region at, String key, Consumer<Optional<Version>> done) {
        Region executor = executorSeenBy(at, key);
        forward(at, executor, reply -> reply.accept(storedLiveVersion(executor, key)), done);
    }

    /** A crash: every append in flight is decided now (in Kafka or not), no lock survives, nothing is answered. */
    void crash(Region region) {
        inFlight.values().removeIf(pending -> {
            if (pending.attempt().executor != region) {
                return false;
            }
            if (random.nextBoolean()) {
                append(region, pending);
            }
            return true;
        });
        locks.clear(region);
    }

    /** Runs {@code call} in {@code executor}, one link away unless it is {@code at}; a lost request or reply is no answer. */
    private <T> void forward(Region at, Region executor, Consumer<Consumer<T>> call, Consumer<T> done) {
        if (at == executor) {
            call.accept(done);
            return;
        }
        time.after(latency(), () -> {
            if (up.test(executor)) {
                call.accept(answer -> time.after(latency(), () -> {
                    if (up.test(at) && answer != null) {
                        done.accept(answer);
                    }
                }));
            }
        });
    }

    private void execute(Region executor, HistoryChecker.Attempt attempt, Consumer<HistoryChecker.Outcome> reply) {
        if (!admits(executor, attempt.key)) {
            trace(attempt.key, "%s refuses %s: not its key now (503)", executor, attempt);
            reply.accept(HistoryChecker.Outcome.FAILED);
            return;
        }
        if (attempt.op == HistoryChecker.Op.PUT && !config.rules().lockEveryWrite()) {
            executeLocked(executor, attempt, reply);
            return;
        }
        locks.acquire(executor, attempt.key, attempt.id, () -> executeLocked(executor, attempt, reply));
    }

    private void executeLocked(
            Region executor, HistoryChecker.Attempt attempt, Consumer<HistoryChecker.Outcome> reply) {
        if (time.now() > attempt.invokedAt + config.clientTimeoutMillis() || !admits(executor, attempt.key)) {
            locks.release(executor, attempt.key, attempt.id);
            reply.accept(HistoryChecker.Outcome.FAILED);
            return;
        }
        ReplicaStore.Entry stored = executor.store.get(attempt.key);
        if (attempt.op == HistoryChecker.Op.CONDITIONAL_PUT && !matches(stored, attempt.expected)) {
            trace(
                    attempt.key,
                    "%s refuses %s: holds %s (412)",
                    executor,
                    attempt,
                    stored == null ? null : stored.value());
            locks.release(executor, attempt.key, attempt.id);
            reply.accept(HistoryChecker.Outcome.REFUSED);
            return;
        }
        Version version = stored == null
                ? executor.nextVersion()
                : new Version(
                        executor.hlc.observe(stored.value().version().hlc()), Version.originId(executor.index, 0));
        Region naturalHome = naturalHomeOf.apply(attempt.key);
        int epoch = assignments.viewOf(executor, naturalHome).epoch();
        CacheEvent event = event(attempt, version);
        long expiresAt = event instanceof CacheEvent.Write write ? write.expiresAtMillis() : Long.MAX_VALUE;
        checker.began(attempt, executor, epoch, version, expiresAt);
        trace(attempt.key, "%s begins %s", executor, attempt);
        InFlight pending = new InFlight(attempt, event);
        inFlight.put(attempt.id, pending);
        time.after(appendDelay(), () -> decide(executor, pending, reply));
    }

    private void decide(Region executor, InFlight pending, Consumer<HistoryChecker.Outcome> reply) {
        if (inFlight.remove(pending.attempt().id) == null) {
            return; // decided when its region crashed
        }
        boolean appended = random.nextDouble() >= config.appendFailureProbability();
        if (appended) {
            append(executor, pending);
            executor.store.apply(pending.event());
        }
        locks.release(executor, pending.attempt().key, pending.attempt().id);
        reply.accept(appended ? HistoryChecker.Outcome.ACKNOWLEDGED : HistoryChecker.Outcome.FAILED);
    }

    private void append(Region executor, InFlight pending) {
        checker.appended(pending.attempt());
        trace(pending.attempt().key, "%s appends %s", executor, pending.attempt());
        shipping.publish(executor, executor.append(pending.event()));
    }

    /**
     * May {@code executor} execute writes of {@code key} now? A live region asks the gateway's own {@link
     * WriteDecision}, with the facts the model has: its view of the natural home's assignment, whether it drains the
     * keys, whether it is fenced in, whether it rebuilds its Redis. The fence stands for the gateway's catch-up check
     * too: a natural home that takes its keys back answers for them once it has applied the interim home's log.
     */
    private boolean admits(Region executor, String key) {
        Region naturalHome = naturalHomeOf.apply(key);
        HomeAssignments.Assignment view = assignments.viewOf(executor, naturalHome);
        boolean fencedIn = !config.rules().fencing() || assignments.fencedIn(executor, view);
        Optional<HandoverState> state = assignments.draining(executor, naturalHome)
                ? Optional.of(HandoverState.DRAINING)
                : view.moved() ? Optional.of(HandoverState.MOVED) : Optional.empty();
        WriteDecision.Plan plan = WriteDecision.decide(new WriteDecision.Facts(
                executor.name,
                naturalHome.name,
                executorSeenBy(executor, key).name,
                true,
                Optional.empty(),
                view.epoch(),
                rebuilding.test(executor),
                fencedIn,
                state,
                fencedIn));
        return up.test(executor) && plan == WriteDecision.Plan.EXECUTE;
    }

    private Optional<Version> storedLiveVersion(Region executor, String key) {
        if (!admits(executor, key)) {
            return Optional.empty();
        }
        ReplicaStore.Entry stored = executor.store.get(key);
        return stored == null || stored.value().tombstone()
                ? Optional.empty()
                : Optional.of(stored.value().version());
    }

    private static boolean matches(ReplicaStore.Entry stored, Version expected) {
        return stored != null
                && !stored.value().tombstone()
                && stored.value().version().equals(expected);
    }

    private CacheEvent event(HistoryChecker.Attempt attempt, Version version) {
        if (attempt.op == HistoryChecker.Op.DELETE) {
            return new CacheEvent.Delete(NAMESPACE, attempt.key, version);
        }
        byte[] value = attempt.value.getBytes(StandardCharsets.UTF_8);
        return new CacheEvent.Write(
                NAMESPACE, attempt.key, version, version.wallMillis() + attempt.ttlMillis, TYPE, value);
    }

    private long appendDelay() {
        return random.nextDouble() < config.slowAppendProbability()
                ? config.slowAppendMillis()
                : 1 + random.nextInt((int) config.maxAppendMillis());
    }

    private long latency() {
        return 1 + random.nextInt((int) config.maxLinkLatencyMillis());
    }

    private void trace(String key, String format, Object... args) {
        if (trace.enabled()) {
            trace.log(key, time.now(), format, args);
        }
    }
}
