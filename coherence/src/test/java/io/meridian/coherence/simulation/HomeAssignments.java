package io.meridian.coherence.simulation;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Where the keys of each natural home are executed, and under which epoch (fencing token). While a home's keys are
 * moved, each key's writes go to the next region of its rendezvous order. The authority is the durable handover
 * state ({@code meridian:handover}, kept when Redis loses its data); each region acts on its own view of it. Regions
 * taking part in a planned move learn it at once; after a failover, each region learns it when its own probes have
 * seen the home down, up to {@code viewDelayMillis} apart.
 *
 * <p>Fencing: an assignment records the length of every region's log when it was made (its fence). Its executors
 * take no write of the moved keys until they have applied every log up to the fence: everything the former
 * executors wrote is then in their copy, and their write path, which observes the stored version before taking its
 * own, writes above all of it. The former executors were drained (or had died) before the assignment was made, so
 * nothing of theirs lands past the fence.
 */
final class HomeAssignments {

    /** One assignment of a natural home's keys: its epoch, whether they are moved away, and its fence. */
    record Assignment(int epoch, boolean moved, int[] fence) {

        @Override
        public String toString() {
            return "epoch " + epoch + (moved ? " moved" : " at home") + (fence == null ? "" : Arrays.toString(fence));
        }
    }

    private final Scheduler time;
    private final Random random;
    private final List<Region> regions;
    private final long viewDelayMillis;
    private final Predicate<Region> up;
    private final Map<Region, Assignment> authority = new HashMap<>();
    private final Map<String, Assignment> views = new HashMap<>();
    private final Set<String> draining = new HashSet<>();

    HomeAssignments(Scheduler time, Random random, List<Region> regions, long viewDelayMillis, Predicate<Region> up) {
        this.time = time;
        this.random = random;
        this.regions = regions;
        this.viewDelayMillis = viewDelayMillis;
        this.up = up;
        Assignment first = new Assignment(0, false, null);
        for (Region home : regions) {
            authority.put(home, first);
            regions.forEach(region -> views.put(view(region, home), first));
        }
    }

    Assignment current(Region naturalHome) {
        return authority.get(naturalHome);
    }

    /** @return what {@code region} believes about the keys of {@code naturalHome} */
    Assignment viewOf(Region region, Region naturalHome) {
        return views.get(view(region, naturalHome));
    }

    /**
     * The authority moves the keys of {@code naturalHome} away or back at the next epoch, fenced at the current log
     * lengths. Every region learns at once, or (a failover) each within the view delay.
     */
    Assignment assign(Region naturalHome, boolean moved, boolean everyoneAtOnce) {
        int[] fence = regions.stream().mapToInt(Region::logSize).toArray();
        Assignment next = new Assignment(authority.get(naturalHome).epoch() + 1, moved, fence);
        authority.put(naturalHome, next);
        for (Region region : regions) {
            if (everyoneAtOnce) {
                views.put(view(region, naturalHome), next);
            } else {
                learnLater(region, naturalHome, next);
            }
        }
        return next;
    }

    /**
     * Without fencing: a returning {@code naturalHome} takes its keys back by itself, at the epoch after the one it
     * last knew and with no fence; the interim executors learn it only when their probes see it up again.
     */
    Assignment takeBackUnfenced(Region naturalHome) {
        Assignment next = new Assignment(viewOf(naturalHome, naturalHome).epoch() + 1, false, null);
        authority.put(naturalHome, next);
        views.put(view(naturalHome, naturalHome), next);
        regions.stream()
                .filter(region -> region != naturalHome)
                .forEach(region -> learnLater(region, naturalHome, next));
        return next;
    }

    /** A region that returns reads the handover state before it serves: its views become the authority's. */
    void refreshViews(Region region) {
        authority.forEach((home, assignment) -> views.put(view(region, home), assignment));
    }

    /** @return true when {@code region} has applied every log up to the assignment's fence */
    boolean fencedIn(Region region, Assignment assignment) {
        if (assignment.fence() == null) {
            return true;
        }
        for (Region source : regions) {
            if (region.appliedPrefix(source) < assignment.fence()[source.index]) {
                return false;
            }
        }
        return true;
    }

    void drain(Region executor, Region naturalHome, boolean on) {
        if (on) {
            draining.add(view(executor, naturalHome));
        } else {
            draining.remove(view(executor, naturalHome));
        }
    }

    boolean draining(Region executor, Region naturalHome) {
        return draining.contains(view(executor, naturalHome));
    }

    /** A region that is down learns nothing: its gateways are not running. */
    private void learnLater(Region region, Region naturalHome, Assignment learned) {
        time.after(1 + random.nextInt((int) viewDelayMillis), () -> {
            if (up.test(region)) {
                views.merge(
                        view(region, naturalHome),
                        learned,
                        (known, next) -> next.epoch() > known.epoch() ? next : known);
            }
        });
    }

    private static String view(Region region, Region naturalHome) {
        return region.name + ">" + naturalHome.name;
    }
}
