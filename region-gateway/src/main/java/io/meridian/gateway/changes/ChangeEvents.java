package io.meridian.gateway.changes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a row-change event in Debezium's JSON envelope and maps it to a cache key with a template such as
 * {@code user:{id}}: the placeholders are columns of the row after the change ({@code after}), or before it for a
 * delete ({@code op = d}). The {@code schema}/{@code payload} wrapper of the JSON converter with schemas is accepted
 * too. A Kafka tombstone (null value, which Debezium sends after a delete) maps to nothing.
 */
final class ChangeEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private ChangeEvents() {}

    /** Why an event could not be mapped to a key. */
    public static final class MalformedChange extends RuntimeException {
        MalformedChange(String message) {
            super(message);
        }
    }

    /**
     * @return the cache key the change invalidates; empty for a Kafka tombstone or a change of another table
     * @throws MalformedChange when the value is not a change event or the row lacks a column of the template
     */
    public static Optional<String> keyOf(String value, String template, Optional<String> table) {
        if (value == null) {
            return Optional.empty();
        }
        JsonNode envelope;
        try {
            envelope = JSON.readTree(value);
        } catch (IOException e) {
            throw new MalformedChange("not JSON: " + e.getMessage());
        }
        if (envelope == null || !envelope.isObject()) {
            throw new MalformedChange("not a JSON object");
        }
        JsonNode change =
                envelope.has("payload") && envelope.get("payload").isObject() ? envelope.get("payload") : envelope;
        String op = change.path("op").asText("");
        if (op.isEmpty()) {
            throw new MalformedChange("no op field: not a Debezium change event");
        }
        if (table.isPresent()
                && !table.get().equals(change.path("source").path("table").asText(null))) {
            return Optional.empty();
        }
        JsonNode row = op.equals("d") ? change.get("before") : change.get("after");
        if (row == null || !row.isObject()) {
            throw new MalformedChange("op " + op + " without its " + (op.equals("d") ? "before" : "after") + " row");
        }
        Matcher placeholders = PLACEHOLDER.matcher(template);
        StringBuilder key = new StringBuilder();
        while (placeholders.find()) {
            JsonNode column = row.get(placeholders.group(1));
            if (column == null || column.isNull() || column.isContainerNode()) {
                throw new MalformedChange("the row has no value for column " + placeholders.group(1));
            }
            placeholders.appendReplacement(key, Matcher.quoteReplacement(column.asText()));
        }
        placeholders.appendTail(key);
        return Optional.of(key.toString());
    }
}
