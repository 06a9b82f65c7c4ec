package io.meridian.coherence.simulation;

import io.meridian.coherence.version.Version;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * What the clients do: after a short think, each issues one request, waits for its answer, and thinks again, until
 * the run's end. Half reads, four in ten writes, one in ten deletes, over a small key space so that clients collide;
 * token clients hop to another region now and then.
 */
final class Workload {

    private static final double READ_SHARE = 0.5;
    private static final double WRITE_SHARE = 0.4;
    private static final double HOP_PROBABILITY = 0.15;

    private final Scheduler time;
    private final Random random;
    private final SimulationConfig config;
    private final List<Region> regions;
    private final Gateways gateways;
    private final ConsistencyChecker checker;
    private final Trace trace;
    private final long endMillis;
    private long requests;
    private long unavailable;

    Workload(
            Scheduler time,
            Random random,
            SimulationConfig config,
            List<Region> regions,
            Gateways gateways,
            ConsistencyChecker checker,
            Trace trace) {
        this.time = time;
        this.random = random;
        this.config = config;
        this.regions = regions;
        this.gateways = gateways;
        this.checker = checker;
        this.trace = trace;
        this.endMillis = time.now() + config.workload().durationMillis();
    }

    void start() {
        SimulationConfig.Workload shape = config.workload();
        for (int id = 0; id < shape.tokenClients() + shape.tokenlessClients(); id++) {
            boolean tokenless = id >= shape.tokenClients();
            thinkThenAct(new Client(id, tokenless, regions.get(id % regions.size())));
        }
    }

    long requests() {
        return requests;
    }

    long unavailable() {
        return unavailable;
    }

    private void thinkThenAct(Client client) {
        long at = time.now() + 1 + random.nextInt((int) config.workload().maxThinkMillis());
        if (at < endMillis) {
            time.at(at, () -> act(client));
        }
    }

    private void act(Client client) {
        requests++;
        if (!client.tokenless && random.nextDouble() < HOP_PROBABILITY) {
            client.region = regions.get(random.nextInt(regions.size()));
        }
        String key = "k" + random.nextInt(config.workload().keys());
        double roll = random.nextDouble();
        if (roll < READ_SHARE) {
            read(client, key);
        } else if (roll < READ_SHARE + WRITE_SHARE) {
            put(client, key);
        } else {
            delete(client, key);
        }
    }

    private void read(Client client, String key) {
        long startedAt = time.now();
        Region at = client.region;
        Version floor = checker.deleteFloor(at, key);
        gateways.get(at, key, client.token, answer -> {
            if (answer.isEmpty()) {
                unavailable++;
                trace(key, "%s in %s read: 503", client, at);
            } else {
                Gateways.Read read = answer.get();
                trace(key, "%s in %s read %s (%s)", client, at, Trace.describe(read.value()), read.servedBy());
                checker.read(client, at, key, startedAt, floor, read.value());
                client.keep(read.token());
            }
            thinkThenAct(client);
        });
    }

    private void put(Client client, String key) {
        String value = client.nextValue();
        Region at = client.region;
        long ttl = config.ttls().draw(random);
        gateways.put(at, key, value, ttl, client.token, answer -> acknowledged(client, at, key, answer));
    }

    private void delete(Client client, String key) {
        Region at = client.region;
        gateways.delete(at, key, client.token, answer -> acknowledged(client, at, key, answer));
    }

    private void acknowledged(Client client, Region at, String key, Optional<Gateways.Written> answer) {
        if (answer.isEmpty()) {
            unavailable++;
            trace(key, "%s in %s write: 503", client, at);
        } else {
            trace(key, "%s in %s got ack of %s", client, at, answer.get().record());
            checker.acknowledged(client, answer.get().record());
            client.keep(answer.get().token());
        }
        thinkThenAct(client);
    }

    private void trace(String key, String format, Object... args) {
        if (trace.enabled()) {
            trace.log(key, time.now(), format, args);
        }
    }
}
