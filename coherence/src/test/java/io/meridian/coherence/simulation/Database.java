package io.meridian.coherence.simulation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The application's database behind the cache-aside keys: one row per key, whose row version goes up by one on every
 * change. An update gives the row new content, a delete marks it deleted at its new version, and an update of a
 * deleted row inserts it again. Every row starts at version 1. Changes are instantaneous and serialized (the model's
 * single thread), so the database is the ground truth that cached values are judged against: every content names the
 * one row version it was written at.
 */
final class Database {

    /** A row as one read or change left it: its version, and its content (null once deleted). */
    record Row(String key, long version, String content) {

        boolean deleted() {
            return content == null;
        }

        @Override
        public String toString() {
            return (deleted() ? "deleted row " : "row '" + content + "' ") + "v" + version;
        }
    }

    private final Map<String, Row> rows = new TreeMap<>();
    private final Map<String, Long> versionOfContent = new HashMap<>();

    Database(List<String> keys) {
        keys.forEach(key -> store(new Row(key, 1, key + "@1")));
    }

    /** @return true when {@code key} is one of the database's rows (a cache-aside key) */
    boolean holds(String key) {
        return rows.containsKey(key);
    }

    Row read(String key) {
        return rows.get(key);
    }

    Row update(String key) {
        long version = read(key).version() + 1;
        return store(new Row(key, version, key + "@" + version));
    }

    Row delete(String key) {
        return store(new Row(key, read(key).version() + 1, null));
    }

    /** @return the row version that {@code content} was read at */
    long versionOf(String content) {
        return versionOfContent.get(content);
    }

    List<Row> rows() {
        return List.copyOf(rows.values());
    }

    private Row store(Row row) {
        rows.put(row.key(), row);
        if (!row.deleted()) {
            versionOfContent.put(row.content(), row.version());
        }
        return row;
    }
}
