package io.meridian.coherence.simulation;

import io.meridian.coherence.placement.HomeRegionResolver;
import io.meridian.coherence.version.Version;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * A seeded run of the write path while homes move and Redis loses its data, the second model next to {@link
 * Simulation} (which keeps homes fixed and checks reads, tokens and fills). Three regions, keys homed by rendezvous
 * hashing; clients send puts, deletes and conditional puts ({@code If-Match}) through any region that is up, and read
 * versions at the key's executing home. Meanwhile, one at a time:
 *
 * <ul>
 *   <li><b>planned handover</b>: the home drains its keys (refuses new writes, waits until no write holds a key's
 *       lock), the keys move to their next region at the next epoch; later the failback drains the interim homes and
 *       moves the keys back, and the returning home is fenced until it has applied every log up to the fence;
 *   <li><b>outage</b>: the home crashes (its appends in flight are decided at once, nothing is answered); after
 *       {@code failoverAfter} its keys move to their next region; when it returns it reads the handover state, maybe
 *       with its Redis emptied, and gets its keys back through a failback;
 * </ul>
 *
 * and now and then a region's Redis loses everything ({@code FLUSHALL}) while its control state (assignments, applied
 * offsets) survives; its replicator replays every source from the rewind point, and its homes take no write until
 * the replay is applied. {@link HistoryChecker} checks the history at the end.
 */
final class HomeMoveSimulation {

    private final long seed;
    private final HomeMoveConfig config;
    private final Random random;
    private final Scheduler time = new Scheduler(Simulation.START_MILLIS);
    private final Trace trace;
    private final HistoryChecker checker;
    private final List<Region> regions = new ArrayList<>();
    private final Map<String, List<Region>> ranked = new HashMap<>();
    private final Set<Region> down = new HashSet<>();
    private final Map<Region, Integer> rebuilding = new HashMap<>();
    private final HomeAssignments assignments;
    private final KeyLocks locks;
    private final LogShipping shipping;
    private final HomeWrites writes;
    private final long endMillis;
    private boolean moving;
    private int handovers;
    private int failovers;
    private int dataLosses;

    private HomeMoveSimulation(long seed, HomeMoveConfig config, boolean traced) {
        this.seed = seed;
        this.config = config;
        this.random = new Random(seed);
        this.trace = new Trace(traced, Simulation.START_MILLIS);
        this.checker = new HistoryChecker(time, config.clockMarginMillis(), config.replayRewindMillis());
        for (String name : config.regions()) {
            SkewedClock clock = new SkewedClock(time, config.maxSkewMillis(), random);
            long ttl = config.tombstoneTtlMillis();
            regions.add(new Region(name, regions.size(), clock, new ReplicaStore(clock, ttl, ttl, (k, v) -> {})));
        }
        HomeRegionResolver resolver = new HomeRegionResolver(config.regions(), owner -> Optional.empty());
        for (int k = 0; k < config.keys(); k++) {
            String key = "k" + k;
            ranked.put(key, resolver.ranked(key).stream().map(this::region).toList());
        }
        this.assignments =
                new HomeAssignments(time, random, regions, config.viewDelayMillis(), region -> !down.contains(region));
        this.locks = new KeyLocks(time);
        this.shipping = new LogShipping(time, random, config, regions, region -> !down.contains(region));
        this.writes = new HomeWrites(
                time,
                random,
                config,
                assignments,
                locks,
                checker,
                shipping,
                ranked::get,
                region -> !down.contains(region),
                region -> rebuilding.getOrDefault(region, 0) > 0,
                trace);
        this.endMillis = time.now() + config.durationMillis();
    }

    /** Runs one seed; {@code traced} keeps every key's history for the report. */
    static HomeMoveResult run(long seed, HomeMoveConfig config, boolean traced) {
        return new HomeMoveSimulation(seed, config, traced).execute();
    }

    private HomeMoveResult execute() {
        for (int id = 0; id < config.clients(); id++) {
            thinkThenAct(new Client(id));
        }
        scheduleMove();
        scheduleDataLoss();
        time.runUntil(endMillis);
        time.runAll(60_000);
        List<Violation> found = new ArrayList<>(checkDelivery());
        checker.checkAll(regions);
        found.addAll(checker.violations());
        HomeMoveResult.Stats stats = new HomeMoveResult.Stats(
                checker.attempts(),
                checker.count(HistoryChecker.Outcome.ACKNOWLEDGED),
                checker.count(HistoryChecker.Outcome.INDETERMINATE),
                checker.count(HistoryChecker.Outcome.REFUSED),
                checker.count(HistoryChecker.Outcome.FAILED),
                checker.appendedCount(),
                handovers,
                failovers,
                dataLosses,
                shipping.delivered());
        return new HomeMoveResult(seed, found, stats, trace);
    }

    // ---- clients ----

    /** One client: one request at a time, through any region that is up; remembers the versions it learnt. */
    private final class Client {
        final int id;
        final Map<String, Version> known = new HashMap<>();
        int writes;

        Client(int id) {
            this.id = id;
        }
    }

    private void thinkThenAct(Client client) {
        long at = time.now() + 1 + random.nextInt((int) config.maxThinkMillis());
        if (at < endMillis) {
            time.at(at, () -> act(client));
        }
    }

    private void act(Client client) {
        List<Region> reachable = regions.stream().filter(r -> !down.contains(r)).toList();
        Region at = reachable.get(random.nextInt(reachable.size()));
        String key = "k" + random.nextInt(config.keys());
        double roll = random.nextDouble();
        Version known = client.known.get(key);
        if (roll < config.readShare() || (roll < config.readShare() + config.casShare() && known == null)) {
            boolean[] answered = {false};
            writes.readAtHome(at, key, version -> {
                answered[0] = true;
                version.ifPresent(v -> client.known.put(key, v));
                thinkThenAct(client);
            });
            time.after(config.clientTimeoutMillis(), () -> {
                if (!answered[0]) {
                    answered[0] = true;
                    thinkThenAct(client);
                }
            });
            return;
        }
        HistoryChecker.Op op = roll < config.readShare() + config.casShare()
                ? HistoryChecker.Op.CONDITIONAL_PUT
                : roll < config.readShare() + config.casShare() + config.deleteShare()
                        ? HistoryChecker.Op.DELETE
                        : HistoryChecker.Op.PUT;
        long ttl =
                random.nextDouble() < config.shortTtlProbability() ? config.shortTtlMillis() : config.longTtlMillis();
        String value = "c" + client.id + "-" + ++client.writes;
        HistoryChecker.Attempt attempt = new HistoryChecker.Attempt(
                ((long) client.id << 32) | client.writes, key, op, value, known, ttl, time.now());
        writes.write(at, attempt, outcome -> {
            if (outcome == HistoryChecker.Outcome.ACKNOWLEDGED) {
                if (op == HistoryChecker.Op.DELETE) {
                    client.known.remove(key);
                } else {
                    client.known.put(key, attempt.version);
                }
            }
            thinkThenAct(client);
        });
    }

    // ---- moves ----

    private void scheduleMove() {
        long at = time.now() + 1 + random.nextInt((int) (2 * config.meanMoveGapMillis()));
        if (at >= endMillis - 8_000) {
            return;
        }
        time.at(at, () -> {
            Region home = regions.get(random.nextInt(regions.size()));
            if (!moving && !down.contains(home)) {
                moving = true;
                if (random.nextBoolean()) {
                    plannedHandover(home);
                } else {
                    outage(home);
                }
            }
            scheduleMove();
        });
    }

    private void plannedHandover(Region home) {
        handovers++;
        note(home, "%s drains its keys", home);
        drainThen(List.of(home), home, () -> {
            note(home, "%s hands its keys over: %s", home, assignments.assign(home, true, true));
            time.after(1_000 + random.nextInt(2_000), () -> failback(home));
        });
    }

    private void outage(Region home) {
        failovers++;
        down.add(home);
        writes.crash(home);
        note(home, "%s is down", home);
        time.after(config.failoverAfterMillis(), () -> {
            note(home, "failover of %s: %s", home, assignments.assign(home, true, false));
        });
        long lasts = config.failoverAfterMillis()
                + 200
                + random.nextInt((int) (config.outageMillis() - config.failoverAfterMillis() - 200));
        time.after(lasts, () -> returns(home));
    }

    private void returns(Region home) {
        down.remove(home);
        shipping.resume(home);
        if (random.nextInt(3) == 0) {
            loseData(home);
        }
        if (config.rules().fencing()) {
            assignments.refreshViews(home);
            note(home, "%s is back, its keys still moved", home);
            time.after(300 + random.nextInt(700), () -> failback(home));
        } else {
            note(home, "%s is back and takes its keys: %s", home, assignments.takeBackUnfenced(home));
            time.after(config.viewDelayMillis(), () -> moving = false);
        }
    }

    /** The interim homes drain the keys of {@code home}; then they move back, and {@code home} is fenced. */
    private void failback(Region home) {
        List<Region> interim = regions.stream().filter(r -> r != home).toList();
        drainThen(interim, home, () -> {
            note(home, "failback to %s: %s", home, assignments.assign(home, false, true));
            moving = false;
        });
    }

    /** Drains the keys of {@code naturalHome} in {@code executors}, waits until none of them is locked, then moves. */
    private void drainThen(List<Region> executors, Region naturalHome, Runnable move) {
        executors.forEach(executor -> assignments.drain(executor, naturalHome, true));
        boolean busy = executors.stream()
                .anyMatch(executor ->
                        locks.anyHeld(executor, key -> ranked.get(key).get(0) == naturalHome));
        if (busy) {
            time.after(10, () -> drainThen(executors, naturalHome, move));
            return;
        }
        move.run();
        executors.forEach(executor -> assignments.drain(executor, naturalHome, false));
    }

    // ---- data loss ----

    private void scheduleDataLoss() {
        long at = time.now() + 1 + random.nextInt((int) (2 * config.meanDataLossGapMillis()));
        if (at >= endMillis) {
            return;
        }
        time.at(at, () -> {
            Region region = regions.get(random.nextInt(regions.size()));
            if (!down.contains(region)) {
                loseData(region);
            }
            scheduleDataLoss();
        });
    }

    /** FLUSHALL: values and tombstones go; assignments and applied offsets stay. Then the replay, if the rule is on. */
    private void loseData(Region region) {
        dataLosses++;
        region.store.flushAll();
        long wallNow = region.clock.millis();
        checker.dataLost(region, wallNow);
        ranked.keySet().forEach(key -> note(key, "%s loses its Redis data", region));
        if (!config.rules().replayAfterDataLoss()) {
            return;
        }
        rebuilding.merge(region, regions.size(), Integer::sum);
        for (Region source : regions) {
            shipping.replay(
                    region,
                    source,
                    wallNow - config.rules().rewindMillis(),
                    () -> rebuilding.merge(region, -1, Integer::sum));
        }
    }

    // ---- helpers ----

    private List<Violation> checkDelivery() {
        List<Violation> found = new ArrayList<>();
        if (!shipping.drained()) {
            found.add(new Violation(Violation.Kind.DELIVERY, "-", time.now() - Simulation.START_MILLIS, "pending"));
        }
        for (Region consumer : regions) {
            for (Region source : regions) {
                if (consumer.appliedPrefix(source) != source.logSize()) {
                    found.add(new Violation(
                            Violation.Kind.DELIVERY,
                            "-",
                            time.now() - Simulation.START_MILLIS,
                            consumer + " applied " + consumer.appliedPrefix(source) + " of " + source.logSize()
                                    + " events of " + source));
                }
            }
        }
        return found;
    }

    /** Traces a move or data loss in the history of every key it concerns. */
    private void note(Region naturalHome, String format, Object... args) {
        if (trace.enabled()) {
            ranked.forEach((key, order) -> {
                if (order.get(0) == naturalHome) {
                    trace.log(key, time.now(), format, args);
                }
            });
        }
    }

    private void note(String key, String format, Object... args) {
        if (trace.enabled()) {
            trace.log(key, time.now(), format, args);
        }
    }

    private Region region(String name) {
        return regions.stream().filter(r -> r.name.equals(name)).findFirst().orElseThrow();
    }
}
