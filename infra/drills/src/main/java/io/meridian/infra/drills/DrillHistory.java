package io.meridian.infra.drills;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every request of a drill's workload and its answer, and the final reads of every key in every region after it, in
 * the shape of a Jepsen history: each operation has an invocation and a completion, and a write that got no clear
 * answer is indeterminate (it may or may not have happened), never acknowledged.
 */
final class DrillHistory {

    /** The client of the final reads, made by the drill itself after the workload. */
    static final int FINAL_READER = -1;

    /** What a request did. */
    enum Kind {
        READ,
        /** A read of the drill itself, after the workload, in every region: what each region finally holds. */
        FINAL_READ,
        PUT,
        DELETE;

        boolean isWrite() {
            return this == PUT || this == DELETE;
        }

        boolean isRead() {
            return this == READ || this == FINAL_READ;
        }
    }

    /** What a request's answer says about its effect. */
    enum Outcome {
        /** A write was acknowledged (2xx); a read answered 200 or 404. */
        OK,
        /** Refused before any effect (a 4xx, a 503 shed before work, no connection): it did not happen. */
        FAILED,
        /** A write without a clear answer (timeout, dropped connection, a 5xx that is not a refusal): may have happened. */
        INDETERMINATE;

        /**
         * What an answer means. Reads: 200 and 404 answered, anything else tells nothing. Writes: 2xx acknowledged; a
         * 4xx, or a {@code 503} whose problem is one the gateway answers before any work ({@link #REFUSALS}), did not
         * happen; any other 5xx did not confirm the write, which "may still take effect from the log" (api.md,
         * Errors), and a problem that says {@code "outcome": "unknown"} is indeterminate whatever its status.
         *
         * @param problem the answer's body when it is a problem document, else null
         */
        static Outcome of(Kind kind, int status, String problem) {
            if (kind.isRead()) {
                return status == 200 || status == 404 ? OK : FAILED;
            }
            if (status >= 200 && status < 300) {
                return OK;
            }
            if (problem != null && UNKNOWN_OUTCOME.matcher(problem).find()) {
                return INDETERMINATE;
            }
            if (status >= 400 && status < 500) {
                return FAILED;
            }
            if (status == 503 && problem != null) {
                Matcher type = PROBLEM_TYPE.matcher(problem);
                if (type.find() && REFUSALS.contains(type.group(1))) {
                    return FAILED;
                }
            }
            return INDETERMINATE;
        }
    }

    /**
     * Problem types of a {@code 503} answered before the write was versioned or appended (api.md, Errors). A
     * {@code home-region-unreachable} without {@code "outcome": "unknown"} was never sent to the home.
     */
    static final Set<String> REFUSALS = Set.of(
            "shed",
            "read-only",
            "overloaded",
            "draining",
            "recovering",
            "node-identity",
            "clock-offset",
            "home-region-unreachable");

    private static final Pattern PROBLEM_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"[^\"]*/problems/([a-z0-9-]+)\"");
    private static final Pattern UNKNOWN_OUTCOME = Pattern.compile("\"outcome\"\\s*:\\s*\"unknown\"");

    /**
     * One request.
     *
     * @param invokeMillis when it was sent, in ms since the drill's workload started
     * @param completeMillis when its answer (or its failure) came, same clock
     * @param client the client that sent it ({@link #FINAL_READER} for the drill's final reads)
     * @param region the region whose gateway it was sent to
     * @param key the key, without namespace
     * @param value the value written (PUT) or read (200), null otherwise; every PUT of a workload writes a value no
     *     other PUT writes, so a value read names its write
     * @param ifMatch the version a conditional write required ({@code If-Match}), null for an unconditional one
     * @param status the HTTP status, or 0 when no answer came (refused connection, client timeout)
     * @param version the version answered: a write's {@code ETag}, a read's {@code ETag}; null when none
     * @param home the {@code Meridian-Home} answered (the region that executed a write, the key's home for a read)
     * @param tokenSent the {@code Meridian-Session} token sent, null when none
     * @param tokenReceived the {@code Meridian-Session} token answered, null when none
     */
    record Op(
            long invokeMillis,
            long completeMillis,
            int client,
            String region,
            Kind kind,
            String key,
            String value,
            String ifMatch,
            int status,
            Outcome outcome,
            String version,
            String home,
            String tokenSent,
            String tokenReceived) {

        Op {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(outcome, "outcome");
            if (completeMillis < invokeMillis) {
                throw new IllegalArgumentException(
                        "completed at " + completeMillis + " before its invocation at " + invokeMillis);
            }
            if (kind == Kind.PUT && value == null) {
                throw new IllegalArgumentException("a PUT writes a value");
            }
        }

        /** When it was sent (the report's timeline and the faults' windows count from here). */
        long atMillis() {
            return invokeMillis;
        }

        long latencyMillis() {
            return completeMillis - invokeMillis;
        }

        boolean isPut() {
            return kind == Kind.PUT;
        }

        boolean isWrite() {
            return kind.isWrite();
        }

        boolean isRead() {
            return kind.isRead();
        }

        /** A write acknowledged, or a read answered (200 or 404). */
        boolean acked() {
            return outcome == Outcome.OK;
        }

        /** A write that may have happened: acknowledged or indeterminate. */
        boolean attempted() {
            return outcome != Outcome.FAILED;
        }

        /** A read that answered a value. */
        boolean found() {
            return isRead() && status == 200;
        }

        /** A read that answered 404: the key is absent, expired or deleted there. */
        boolean notFound() {
            return isRead() && status == 404;
        }

        /** One line for a violation: who did what to which key, where, when, and what came back. */
        String describe() {
            String who = client == FINAL_READER ? "final read" : "client " + client + " " + kind;
            StringBuilder text = new StringBuilder(who)
                    .append(' ')
                    .append(key)
                    .append(" in ")
                    .append(region);
            if (isPut()) {
                text.append(" of ").append(value);
            }
            if (ifMatch != null) {
                text.append(" if-match ").append(ifMatch);
            }
            text.append(" [")
                    .append(DrillReport.seconds(invokeMillis))
                    .append("–")
                    .append(DrillReport.seconds(completeMillis))
                    .append(" s] ");
            text.append(status == 0 ? "no answer" : Integer.toString(status));
            if (found()) {
                text.append(' ').append(value);
            }
            if (version != null) {
                text.append(" version ").append(version);
            }
            if (outcome == Outcome.INDETERMINATE) {
                text.append(" (indeterminate)");
            }
            return text.toString();
        }
    }

    private final List<Op> ops = new ArrayList<>();

    synchronized void add(Op op) {
        ops.add(op);
    }

    synchronized void addAll(List<Op> more) {
        ops.addAll(more);
    }

    synchronized List<Op> ops() {
        return List.copyOf(ops);
    }
}
