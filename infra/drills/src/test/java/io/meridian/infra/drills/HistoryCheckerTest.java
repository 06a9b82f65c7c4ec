package io.meridian.infra.drills;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.coherence.version.Version;
import io.meridian.infra.drills.DrillHistory.Kind;
import io.meridian.infra.drills.DrillHistory.Outcome;
import io.meridian.infra.drills.HistoryChecker.Rule;
import io.meridian.infra.drills.HistoryChecker.Violation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-made histories: a clean one and one where an indeterminate write supersedes, which must pass, and one for each
 * kind of violation, which must be reported (the checker's negative controls).
 */
class HistoryCheckerTest {

    private static final String US = "us-east";
    private static final String EU = "eu-west";
    private static final String AP = "ap-south";
    private static final List<String> REGIONS = List.of(US, EU, AP);

    private final List<DrillHistory.Op> ops = new ArrayList<>();

    @Test
    void check_cleanHistory_reportsNothing() {
        // Two clients write k1 through different regions (home us-east), one conditionally; a conditional write on a
        // stale version is refused; k2 is written and deleted. Every read honours the tokens; the regions end equal.
        op(0, US, Kind.PUT, "k1", "c0-s0")
                .at(0, 10)
                .acked(v(1))
                .home(US)
                .tokens(null, "t0a")
                .add();
        op(1, EU, Kind.PUT, "k1", "c1-s0")
                .at(5, 30)
                .acked(v(2))
                .home(US)
                .tokens(null, "t1a")
                .add();
        op(0, US, Kind.READ, "k1", "c1-s0")
                .at(40, 45)
                .acked(v(2))
                .home(US)
                .tokens("t0a", "t0b")
                .add();
        op(0, EU, Kind.PUT, "k1", "c0-s1")
                .at(50, 60)
                .ifMatch(v(2))
                .acked(v(3))
                .home(US)
                .tokens("t0b", "t0c")
                .add();
        op(1, EU, Kind.PUT, "k1", "c1-s1")
                .at(55, 65)
                .ifMatch(v(2))
                .refused(412)
                .tokens("t1a", null)
                .add();
        op(1, AP, Kind.READ, "k1", "c0-s1")
                .at(70, 75)
                .acked(v(3))
                .home(US)
                .tokens("t1a", "t1b")
                .add();
        op(0, US, Kind.READ, "k1", "c0-s1").at(80, 82).acked(v(3)).home(US).add();
        op(1, EU, Kind.PUT, "k2", "c1-s2")
                .at(90, 95)
                .acked(v(4))
                .home(EU)
                .tokens("t1b", "t1c")
                .add();
        op(1, EU, Kind.DELETE, "k2", null)
                .at(100, 105)
                .acked(v(5))
                .home(EU)
                .tokens("t1c", "t1d")
                .add();
        op(1, US, Kind.READ, "k2", null)
                .at(110, 115)
                .notFound()
                .tokens("t1d", "t1e")
                .add();
        op(0, EU, Kind.READ, "k2", null).at(120, 121).notFound().add();
        finals("k1", "c0-s1", v(3));
        finals("k2", null, null);

        assertThat(check()).isEmpty();
    }

    @Test
    void check_acknowledgedWriteOlderInOneRegionsFinalRead_reportsLostWrite() {
        op(0, US, Kind.PUT, "k1", "c0-s0").at(0, 10).acked(v(1)).home(US).add();
        op(0, US, Kind.PUT, "k1", "c0-s1").at(20, 30).acked(v(2)).home(US).add();
        finalRead(US, "k1", "c0-s1", v(2));
        finalRead(EU, "k1", "c0-s1", v(2));
        finalRead(AP, "k1", "c0-s0", v(1));

        assertThat(check()).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo(Rule.LOST_WRITE);
            assertThat(violation.what()).contains("c0-s1").contains("ap-south (version " + v(1));
        });
    }

    @Test
    void check_finalNotFoundWithoutAnyDelete_reportsLostWrite() {
        op(0, US, Kind.PUT, "k1", "c0-s0").at(0, 10).acked(v(1)).home(US).add();
        finals("k1", null, null);

        assertThat(rules(check())).containsOnly(Rule.LOST_WRITE);
    }

    @Test
    void check_acknowledgedDeleteUndoneInFinalRead_reportsLostWrite() {
        op(0, US, Kind.PUT, "k1", "c0-s0").at(0, 10).acked(v(1)).home(US).add();
        op(1, EU, Kind.DELETE, "k1", null).at(20, 30).acked(v(2)).home(US).add();
        finals("k1", "c0-s0", v(1));

        assertThat(check())
                .isNotEmpty()
                .allSatisfy(violation -> assertThat(violation.rule()).isEqualTo(Rule.LOST_WRITE))
                .anySatisfy(violation -> assertThat(violation.what()).contains("DELETE"));
    }

    @Test
    void check_keyWithAcknowledgedWritesButNoFinalRead_reportsLostWrite() {
        op(0, US, Kind.PUT, "k1", "c0-s0").at(0, 10).acked(v(1)).home(US).add();

        assertThat(rules(check())).containsExactly(Rule.LOST_WRITE);
    }

    @Test
    void check_indeterminateWritesSupersedeAcknowledgedOnes_reportsNothing() {
        // k1: a write timed out but happened, with a newer version than the acknowledged one; k2: a delete that got
        // 503 home-region-unreachable explains the final 404 over an acknowledged value.
        op(0, US, Kind.PUT, "k1", "c0-s0").at(0, 10).acked(v(1)).home(US).add();
        op(1, EU, Kind.PUT, "k1", "c1-s0").at(20, 4020).indeterminate(0).add();
        op(0, US, Kind.PUT, "k2", "c0-s1")
                .at(30, 40)
                .acked(v(3))
                .home(US)
                .tokens(null, "t0a")
                .add();
        op(1, EU, Kind.DELETE, "k2", null).at(50, 2050).indeterminate(503).add();
        op(0, US, Kind.READ, "k2", null)
                .at(2100, 2110)
                .notFound()
                .tokens("t0a", "t0b")
                .add();
        finals("k1", "c1-s0", v(2));
        finals("k2", null, null);

        assertThat(check()).isEmpty();
    }

    @Test
    void check_refusedWriteCannotSupersede_reportsLostWriteAndItsValue() {
        op(0, US, Kind.PUT, "k1", "c0-s0").at(0, 10).acked(v(2)).home(US).add();
        op(1, EU, Kind.PUT, "k1", "c1-s0").at(20, 25).refused(503).add();
        finals("k1", "c1-s0", v(1));

        assertThat(rules(check())).contains(Rule.LOST_WRITE, Rule.VALUE_VERSION);
    }

    @Test
    void check_writeInvokedAfterAnotherCompletedWithOlderVersion_reportsRealTimeOrder() {
        op(0, US, Kind.PUT, "k1", "c0-s0").at(0, 10).acked(v(5)).home(US).add();
        op(1, EU, Kind.PUT, "k1", "c1-s0").at(20, 30).acked(v(3)).home(US).add();
        finals("k1", "c0-s0", v(5));

        assertThat(check()).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo(Rule.REAL_TIME_ORDER);
            assertThat(violation.what()).contains("c1-s0").contains("c0-s0");
        });
    }

    @Test
    void check_concurrentWritesInEitherVersionOrder_reportsNothing() {
        op(0, US, Kind.PUT, "k1", "c0-s0").at(0, 30).acked(v(5)).home(US).add();
        op(1, EU, Kind.PUT, "k1", "c1-s0").at(20, 40).acked(v(3)).home(US).add();
        finals("k1", "c0-s0", v(5));

        assertThat(check()).isEmpty();
    }

    @Test
    void check_tokenReadOlderThanOwnWrite_reportsReadYourWrites() {
        op(0, US, Kind.PUT, "k1", "c0-s0")
                .at(0, 10)
                .acked(v(1))
                .home(US)
                .tokens(null, "t0a")
                .add();
        op(0, US, Kind.PUT, "k1", "c0-s1")
                .at(20, 30)
                .acked(v(2))
                .home(US)
                .tokens("t0a", "t0b")
                .add();
        op(0, EU, Kind.READ, "k1", "c0-s0")
                .at(40, 45)
                .acked(v(1))
                .home(US)
                .tokens("t0b", "t0c")
                .add();
        finals("k1", "c0-s1", v(2));

        assertThat(check()).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo(Rule.SESSION);
            assertThat(violation.what()).contains("read-your-writes (session token)");
        });
    }

    @Test
    void check_tokenReadNotFoundAfterOwnWrite_reportsReadYourWrites() {
        op(0, US, Kind.PUT, "k1", "c0-s0")
                .at(0, 10)
                .acked(v(1))
                .home(US)
                .tokens(null, "t0a")
                .add();
        op(0, AP, Kind.READ, "k1", null)
                .at(20, 25)
                .notFound()
                .tokens("t0a", "t0b")
                .add();
        finals("k1", "c0-s0", v(1));

        assertThat(rules(check())).containsExactly(Rule.SESSION);
    }

    @Test
    void check_tokenReadOlderThanAnEarlierRead_reportsMonotonicReads() {
        // Client 1 wrote both versions; client 0 reads v2, then, with the token that read gave it, v1.
        op(1, US, Kind.PUT, "k1", "c1-s0").at(0, 10).acked(v(1)).home(US).add();
        op(1, US, Kind.PUT, "k1", "c1-s1").at(20, 30).acked(v(2)).home(US).add();
        op(0, US, Kind.READ, "k1", "c1-s1")
                .at(40, 45)
                .acked(v(2))
                .home(US)
                .tokens("t0a", "t0b")
                .add();
        op(0, EU, Kind.READ, "k1", "c1-s0")
                .at(50, 55)
                .acked(v(1))
                .home(US)
                .tokens("t0b", "t0c")
                .add();
        finals("k1", "c1-s1", v(2));

        assertThat(check()).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo(Rule.SESSION);
            assertThat(violation.what()).contains("monotonic reads (session token)");
        });
    }

    @Test
    void check_staleReadWithAnotherClientsOlderToken_reportsNothing() {
        // The token client 0 sends was answered before client 1's newer write: it does not cover that write.
        op(1, US, Kind.PUT, "k1", "c1-s0")
                .at(0, 10)
                .acked(v(1))
                .home(US)
                .tokens(null, "t1a")
                .add();
        op(0, US, Kind.READ, "k1", "c1-s0")
                .at(12, 15)
                .acked(v(1))
                .home(US)
                .tokens("t0a", "t0b")
                .add();
        op(1, US, Kind.PUT, "k1", "c1-s1")
                .at(20, 30)
                .acked(v(2))
                .home(US)
                .tokens("t1a", "t1b")
                .add();
        op(0, EU, Kind.READ, "k1", "c1-s0")
                .at(40, 45)
                .acked(v(1))
                .home(US)
                .tokens("t0b", "t0c")
                .add();
        finals("k1", "c1-s1", v(2));

        assertThat(check()).isEmpty();
    }

    @Test
    void check_tokenlessReadInTheHomeOlderThanOwnWrite_reportsReadYourWrites() {
        op(0, EU, Kind.PUT, "k1", "c0-s0").at(0, 10).acked(v(1)).home(US).add();
        op(0, EU, Kind.PUT, "k1", "c0-s1").at(20, 30).acked(v(2)).home(US).add();
        op(0, US, Kind.READ, "k1", "c0-s0").at(40, 45).acked(v(1)).home(US).add();
        finals("k1", "c0-s1", v(2));

        assertThat(check()).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo(Rule.SESSION);
            assertThat(violation.what()).contains("no token, in the home region");
        });
    }

    @Test
    void check_tokenlessReadInTheHomeNotFoundAfterOwnWrite_reportsReadYourWrites() {
        op(0, EU, Kind.PUT, "k1", "c0-s0").at(0, 10).acked(v(1)).home(US).add();
        op(0, US, Kind.READ, "k1", null).at(40, 45).notFound().add();
        finals("k1", "c0-s0", v(1));

        assertThat(rules(check())).containsExactly(Rule.SESSION);
    }

    @Test
    void check_tokenlessStaleReadOutsideTheHomeOrAfterTheHomeMoved_reportsNothing() {
        // eu-west is not the home: without a token it may lag. Then the key's writes move to ap-south (a failover),
        // and a tokenless read in us-east is no longer a read in the region that executes the key's writes.
        op(0, US, Kind.PUT, "k1", "c0-s0").at(0, 10).acked(v(1)).home(US).add();
        op(0, US, Kind.PUT, "k1", "c0-s1").at(20, 30).acked(v(2)).home(US).add();
        op(0, EU, Kind.READ, "k1", "c0-s0").at(40, 45).acked(v(1)).home(US).add();
        op(1, AP, Kind.PUT, "k1", "c1-s0").at(50, 60).acked(v(3)).home(AP).add();
        op(0, US, Kind.READ, "k1", "c0-s0").at(70, 75).acked(v(1)).home(AP).add();
        finals("k1", "c1-s0", v(3));

        assertThat(check()).isEmpty();
    }

    @Test
    void check_tokenlessNotFoundInTheFormerHome_whenTheNextAnswerNamesAnotherHome_reportsNothing() {
        // A 404 names no home: the next answer about the key shows its writes had moved to ap-south.
        op(0, EU, Kind.PUT, "k1", "c0-s0").at(0, 10).acked(v(1)).home(US).add();
        op(0, US, Kind.READ, "k1", null).at(40, 45).notFound().add();
        op(1, AP, Kind.PUT, "k1", "c1-s0").at(50, 60).acked(v(2)).home(AP).add();
        finals("k1", "c1-s0", v(2));

        assertThat(check()).isEmpty();
    }

    @Test
    void check_valueReadWithAnotherVersionThanItsWrite_reportsValueVersion() {
        op(0, US, Kind.PUT, "k1", "c0-s0").at(0, 10).acked(v(1)).home(US).add();
        op(1, EU, Kind.READ, "k1", "c0-s0").at(20, 25).acked(v(7)).home(US).add();
        finals("k1", "c0-s0", v(1));

        assertThat(check()).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo(Rule.VALUE_VERSION);
            assertThat(violation.what()).contains("written with version " + v(1));
        });
    }

    @Test
    void check_valueNoWriteWroteOrARefusedWriteWrote_reportsValueVersion() {
        op(0, US, Kind.PUT, "k1", "c0-s0").at(0, 10).acked(v(1)).home(US).add();
        op(0, US, Kind.PUT, "k1", "c0-s1").at(12, 14).refused(412).ifMatch(v(9)).add();
        op(1, EU, Kind.READ, "k1", "c9-s9").at(20, 25).acked(v(2)).home(US).add();
        op(1, EU, Kind.READ, "k1", "c0-s1").at(30, 35).acked(v(3)).home(US).add();
        finals("k1", "c0-s0", v(1));

        List<Violation> violations = check();

        assertThat(rules(violations)).containsExactly(Rule.VALUE_VERSION, Rule.VALUE_VERSION);
        assertThat(violations.get(0).what()).contains("no PUT of k1 wrote this value");
        assertThat(violations.get(1).what()).contains("refused");
    }

    @Test
    void outcome_classifiesAnswersAsJepsenHistoriesDo() {
        String shed = "{\"type\":\"https://meridian.dev/problems/shed\",\"status\":503}";
        String unreachable = "{\"type\":\"https://meridian.dev/problems/home-region-unreachable\",\"status\":503}";
        String unknown = "{\"type\":\"https://meridian.dev/problems/shed\",\"status\":503,\"outcome\": \"unknown\"}";
        String unreachableUnknown =
                "{\"type\":\"https://meridian.dev/problems/home-region-unreachable\",\"status\":503,"
                        + "\"outcome\":\"unknown\"}";
        String recovering = "{\"type\":\"https://meridian.dev/problems/recovering\",\"status\":503}";
        String redisAway = "{\"type\":\"https://meridian.dev/problems/redis-unavailable\",\"status\":503}";

        assertThat(Outcome.of(Kind.PUT, 200, null)).isEqualTo(Outcome.OK);
        assertThat(Outcome.of(Kind.PUT, 412, "{}")).isEqualTo(Outcome.FAILED);
        assertThat(Outcome.of(Kind.DELETE, 503, shed)).isEqualTo(Outcome.FAILED);
        // Never sent to the home (no connection, breaker open, refused there before any work): did not happen.
        assertThat(Outcome.of(Kind.PUT, 503, unreachable)).isEqualTo(Outcome.FAILED);
        assertThat(Outcome.of(Kind.PUT, 503, unreachableUnknown)).isEqualTo(Outcome.INDETERMINATE);
        assertThat(Outcome.of(Kind.PUT, 503, recovering)).isEqualTo(Outcome.FAILED);
        assertThat(Outcome.of(Kind.PUT, 503, redisAway)).isEqualTo(Outcome.INDETERMINATE);
        assertThat(Outcome.of(Kind.PUT, 503, unknown)).isEqualTo(Outcome.INDETERMINATE);
        assertThat(Outcome.of(Kind.PUT, 500, null)).isEqualTo(Outcome.INDETERMINATE);
        assertThat(Outcome.of(Kind.PUT, 0, null)).isEqualTo(Outcome.INDETERMINATE);
        assertThat(Outcome.of(Kind.READ, 404, "{}")).isEqualTo(Outcome.OK);
        assertThat(Outcome.of(Kind.READ, 503, unreachable)).isEqualTo(Outcome.FAILED);
    }

    private List<Violation> check() {
        return HistoryChecker.check(ops);
    }

    private static List<Rule> rules(List<Violation> violations) {
        return violations.stream().map(Violation::rule).toList();
    }

    /** Version number {@code n}, as a gateway in us-east would write it. */
    private static String v(long n) {
        return new Version(n << 16, Version.originId(0, 2)).toHex();
    }

    /** The final read of {@code key} in every region: {@code value} at {@code version}, or 404 when null. */
    private void finals(String key, String value, String version) {
        REGIONS.forEach(region -> finalRead(region, key, value, version));
    }

    private void finalRead(String region, String key, String value, String version) {
        Builder read = op(DrillHistory.FINAL_READER, region, Kind.FINAL_READ, key, value)
                .at(10_000, 10_005);
        (value == null ? read.notFound() : read.acked(version).home(US)).add();
    }

    private Builder op(int client, String region, Kind kind, String key, String value) {
        return new Builder(client, region, kind, key, value);
    }

    /** One operation of a hand-made history. */
    private final class Builder {

        private final int client;
        private final String region;
        private final Kind kind;
        private final String key;
        private final String value;
        private long invoke;
        private long complete;
        private String ifMatch;
        private int status;
        private Outcome outcome;
        private String version;
        private String home;
        private String sent;
        private String received;

        Builder(int client, String region, Kind kind, String key, String value) {
            this.client = client;
            this.region = region;
            this.kind = kind;
            this.key = key;
            this.value = value;
        }

        Builder at(long invokeMillis, long completeMillis) {
            invoke = invokeMillis;
            complete = completeMillis;
            return this;
        }

        Builder acked(String answered) {
            status = 200;
            outcome = Outcome.OK;
            version = answered;
            return this;
        }

        Builder notFound() {
            status = 404;
            outcome = Outcome.OK;
            return this;
        }

        Builder refused(int refusal) {
            status = refusal;
            outcome = Outcome.FAILED;
            return this;
        }

        Builder indeterminate(int answer) {
            status = answer;
            outcome = Outcome.INDETERMINATE;
            return this;
        }

        Builder ifMatch(String required) {
            ifMatch = required;
            return this;
        }

        Builder home(String executedIn) {
            home = executedIn;
            return this;
        }

        Builder tokens(String tokenSent, String tokenReceived) {
            sent = tokenSent;
            received = tokenReceived;
            return this;
        }

        void add() {
            ops.add(new DrillHistory.Op(
                    invoke,
                    complete,
                    client,
                    region,
                    kind,
                    key,
                    kind == Kind.PUT || status == 200 ? value : null,
                    ifMatch,
                    status,
                    outcome,
                    version,
                    home,
                    sent,
                    received));
        }
    }
}
