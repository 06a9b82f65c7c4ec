package io.meridian.coherence.simulation;

import io.meridian.coherence.placement.HomeRegionResolver;
import io.meridian.coherence.placement.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * One seeded run of the coherence protocol over three regions, in the spirit of Kafka's {@code
 * RaftEventSimulationTest}: no servers, no threads, no sleeps; every choice (delays, partitions, clock steps, client
 * requests) comes from one {@link Random}, so a seed replays exactly.
 *
 * <p>Steps: start the clients ({@link Workload} and {@link CacheAsideWorkload}), clock perturbations and partitions;
 * run for the configured duration; stop the clients, heal every link and let every delivery and request in flight
 * finish; check convergence.
 */
final class Simulation {

    /** 2026-01-01T00:00:00Z: true time at the start of every run. */
    static final long START_MILLIS = 1_767_225_600_000L;

    private final long seed;
    private final SimulationConfig config;
    private final Random random;
    private final Scheduler time = new Scheduler(START_MILLIS);
    private final Trace trace;
    private final ConsistencyChecker checker;
    private final List<Region> regions = new ArrayList<>();
    private final Network network;
    private final Replication replication;
    private final Function<String, Region> homeOf;
    private final Gateways gateways;
    private final Workload workload;
    private final CacheAsideWorkload cacheAside;

    private Simulation(long seed, SimulationConfig config, boolean traced) {
        this.seed = seed;
        this.config = config;
        this.random = new Random(seed);
        this.trace = new Trace(traced, START_MILLIS);
        Database database =
                new Database(IntStream.range(0, config.workload().cacheAside().rows())
                        .mapToObj(row -> "row" + row)
                        .toList());
        this.checker = new ConsistencyChecker(time, database, config.faults().clockMarginMillis());
        for (String name : config.regions()) {
            regions.add(newRegion(name, regions.size()));
        }
        this.network = new Network(time, config.faults().maxDeliveryDelayMillis() + 1);
        this.replication = new Replication(time, network, random, config.faults(), regions, trace);
        this.homeOf = homes();
        this.gateways = new Gateways(time, network, replication, checker, homeOf, random, config, trace);
        this.workload = new Workload(time, random, config, regions, gateways, checker, trace);
        this.cacheAside = new CacheAsideWorkload(time, random, config, regions, gateways, database, checker, trace);
    }

    /** Runs one seed; {@code traced} keeps every key's history for the report (slower). */
    static SimulationResult run(long seed, SimulationConfig config, boolean traced) {
        return new Simulation(seed, config, traced).execute();
    }

    private SimulationResult execute() {
        long end = START_MILLIS + config.workload().durationMillis();
        workload.start();
        cacheAside.start(config.workload().tokenClients() + config.workload().tokenlessClients());
        regions.forEach(region -> perturbClockUntil(region, end));
        cutLinksUntil(end);
        time.runUntil(end);
        network.healAll();
        time.runAll(config.faults().maxDeliveryGapMillis() + config.workload().durationMillis());
        checker.checkConvergence(regions, homeOf, replication);
        return new SimulationResult(seed, checker.violations(), stats(), trace);
    }

    private Region newRegion(String name, int index) {
        SkewedClock clock = new SkewedClock(time, config.faults().maxSkewMillis(), random);
        Region[] self = new Region[1];
        ReplicaStore store = new ReplicaStore(
                clock,
                config.ttls().tombstoneTtlMillis(),
                config.expiredGraceMillis(),
                (key, value) -> checker.stored(self[0], key, value));
        self[0] = new Region(name, index, clock, store);
        return self[0];
    }

    /** Home regions by rendezvous hash over the region list, as namespaces with placement {@code hash} have them. */
    private Function<String, Region> homes() {
        HomeRegionResolver resolver = new HomeRegionResolver(config.regions(), owner -> Optional.empty());
        Map<String, Region> byName = new TreeMap<>();
        regions.forEach(region -> byName.put(region.name, region));
        return key -> byName.get(resolver.homeOf(key, new Placement.Hash()));
    }

    private void perturbClockUntil(Region region, long end) {
        long at = time.now() + 50 + random.nextInt(450);
        if (at < end) {
            time.at(at, () -> {
                region.clock.perturb(random);
                perturbClockUntil(region, end);
            });
        }
    }

    /** Now and then cuts one link, or isolates one region (both of its links), for a while. */
    private void cutLinksUntil(long end) {
        long at = time.now() + 1 + random.nextInt((int) (2 * config.faults().meanPartitionGapMillis()));
        if (at >= end) {
            return;
        }
        time.at(at, () -> {
            long duration = 100 + random.nextInt((int) (config.faults().maxPartitionMillis() - 99));
            Region a = regions.get(random.nextInt(regions.size()));
            if (random.nextInt(4) == 0) {
                regions.forEach(other -> network.cut(a, other, duration));
            } else {
                network.cut(a, regions.get(random.nextInt(regions.size())), duration);
            }
            cutLinksUntil(end);
        });
    }

    private SimulationResult.Stats stats() {
        return new SimulationResult.Stats(
                workload.requests(),
                checker.writesExecuted(),
                workload.unavailable(),
                replication.delivered(),
                gateways.fillCount(),
                gateways.fillsRefusedByTombstone(),
                network.partitions(),
                gateways.conditions().leasesIssued(),
                cacheAside.stalePuts(),
                gateways.conditions().refusedByLease(),
                gateways.conditions().refusedByExternalVersion());
    }
}
