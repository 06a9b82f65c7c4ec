package io.meridian.infra.drills;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rule (c) of {@link HistoryChecker}: read-your-writes and monotonic reads per session, and a client's own writes
 * visible without a token in the home region that executed them.
 *
 * <p>What a token promises is followed through the history by the tokens themselves, not by guessing the client's
 * order: a token answered to a request covers what the token sent with it covered, plus the version that request
 * wrote or read (api.md, Session tokens). A read that sent a token must return, for its key, at least the newest
 * version that token covers; a 404 is fine only where that version is a tombstone or a delete may have superseded it.
 * Requests are replayed in completion order, so the request that answered a token comes before every request that
 * sent it.
 */
final class SessionCheck {

    /** The newest version of a key a token covers, and the request that brought it in. */
    private record Seen(String version, DrillHistory.Op by) {

        boolean tombstone() {
            return by.kind() == DrillHistory.Kind.DELETE;
        }

        /** Read-your-writes when the session wrote it, monotonic reads when it read it. */
        String promise() {
            return by.isWrite() ? "read-your-writes" : "monotonic reads";
        }
    }

    private final HistoryChecker history;
    private final Map<String, Map<String, Seen>> covered = new HashMap<>();
    private final List<HistoryChecker.Violation> violations = new ArrayList<>();

    SessionCheck(HistoryChecker history) {
        this.history = history;
    }

    List<HistoryChecker.Violation> violations() {
        List<DrillHistory.Op> ordered = history.ops().stream()
                .filter(op -> op.client() != DrillHistory.FINAL_READER)
                .sorted(Comparator.comparingLong(DrillHistory.Op::completeMillis)
                        .thenComparingLong(DrillHistory.Op::invokeMillis))
                .toList();
        for (DrillHistory.Op op : ordered) {
            Map<String, Seen> sent = op.tokenSent() == null ? Map.of() : covered.getOrDefault(op.tokenSent(), Map.of());
            if (op.isRead() && op.acked()) {
                if (op.tokenSent() != null) {
                    checkSession(op, sent.get(op.key()));
                } else {
                    checkOwnWritesInHome(op);
                }
            }
            if (op.tokenReceived() != null) {
                cover(op, sent);
            }
        }
        return violations;
    }

    /** The token answered to {@code op} covers what the token it sent covered, plus what {@code op} wrote or read. */
    private void cover(DrillHistory.Op op, Map<String, Seen> sent) {
        Map<String, Seen> next = new HashMap<>(covered.getOrDefault(op.tokenReceived(), Map.of()));
        sent.forEach((key, seen) -> next.merge(key, seen, SessionCheck::newest));
        boolean wroteOrRead = (op.isWrite() && op.acked()) || op.found();
        if (wroteOrRead && op.version() != null) {
            next.merge(op.key(), new Seen(op.version(), op), SessionCheck::newest);
        }
        covered.put(op.tokenReceived(), next);
    }

    private static Seen newest(Seen a, Seen b) {
        return HistoryChecker.newer(b.version(), a.version()) ? b : a;
    }

    private void checkSession(DrillHistory.Op read, Seen seen) {
        if (seen == null) {
            return;
        }
        if (read.found() && HistoryChecker.newer(seen.version(), read.version())) {
            violate(
                    read,
                    seen.promise() + " (session token): read version " + read.version() + ", older than "
                            + seen.by().describe() + " that the token covers");
        } else if (read.notFound() && !seen.tombstone() && !history.deleteMaySupersede(read, seen.version())) {
            violate(
                    read,
                    seen.promise() + " (session token): 404, but the token covers "
                            + seen.by().describe() + " and no delete of the key may have superseded it");
        }
    }

    /**
     * Without a token a client still sees its own writes in the region that executed them (api.md, Session tokens:
     * "its own writes are visible at once in the region that took them"), as long as that region is still the key's
     * home: a handover or failover in between moves the key's writes elsewhere.
     */
    private void checkOwnWritesInHome(DrillHistory.Op read) {
        Seen own = null;
        for (DrillHistory.Op write : history.ofKey(read.key())) {
            boolean before = write.completeMillis() < read.invokeMillis();
            if (write.client() == read.client()
                    && write.isWrite()
                    && write.acked()
                    && before
                    && read.region().equals(write.home())
                    && (own == null || HistoryChecker.newer(write.version(), own.version()))) {
                own = new Seen(write.version(), write);
            }
        }
        if (own == null || homeMoved(read, own.by())) {
            return;
        }
        if (read.found() && HistoryChecker.newer(own.version(), read.version())) {
            violate(
                    read,
                    "read-your-writes (no token, in the home region that executed the write): read version "
                            + read.version() + ", older than " + own.by().describe());
        } else if (read.notFound() && !own.tombstone() && !history.deleteMaySupersede(read, own.version())) {
            violate(
                    read,
                    "read-your-writes (no token, in the home region that executed the write): 404 after "
                            + own.by().describe() + " and no delete of the key may have superseded it");
        }
    }

    /**
     * Whether the key's home may have moved between the write and the read: an answer about the key named another
     * home than the write's, from the write's invocation until the first answer naming a home that was asked after the
     * read (a 404 names none, so the next answer is the evidence of where the key's writes ran at the read).
     */
    private boolean homeMoved(DrillHistory.Op read, DrillHistory.Op write) {
        List<DrillHistory.Op> answers = history.ofKey(read.key()).stream()
                .filter(op -> op.home() != null)
                .toList();
        long until = answers.stream()
                .filter(op -> op.invokeMillis() > read.completeMillis())
                .mapToLong(DrillHistory.Op::completeMillis)
                .min()
                .orElse(read.completeMillis());
        return answers.stream()
                .filter(op -> op.completeMillis() >= write.invokeMillis() && op.invokeMillis() <= until)
                .anyMatch(op -> !op.home().equals(write.home()));
    }

    private void violate(DrillHistory.Op read, String what) {
        violations.add(new HistoryChecker.Violation(
                HistoryChecker.Rule.SESSION, read.completeMillis(), read.key(), read.describe() + ": " + what));
    }
}
