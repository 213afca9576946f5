// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Typed access to the nodes of one view file; a wrong type becomes a {@link ViewLoadException}. */
final class YamlReader {
    private final String file;

    YamlReader(String file) {
        this.file = file;
    }

    private ViewLoadException fail(String reason) {
        return new ViewLoadException(file, reason);
    }

    void checkKeys(JsonNode node, Set<String> allowed, String ctx) throws ViewLoadException {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                throw fail(ctx + ": unknown key '" + n + "' (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    String text(JsonNode node, String key, boolean required, String ctx) throws ViewLoadException {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw fail(ctx + ": missing '" + key + "'");
            }
            return null;
        }
        if (!v.isValueNode()) {
            throw fail(ctx + ": '" + key + "' must be a text value");
        }
        String s = v.asText();
        if (required && s.isBlank()) {
            throw fail(ctx + ": '" + key + "' is empty");
        }
        return s.strip();
    }

    Boolean bool(JsonNode node, String key, String ctx) throws ViewLoadException {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw fail(ctx + ": '" + key + "' must be true or false, not '" + v.asText() + "'");
        }
        return v.booleanValue();
    }

    Integer integer(JsonNode node, String key, String ctx) throws ViewLoadException {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            throw fail(ctx + ": '" + key + "' must be a whole number, not '" + v.asText() + "'");
        }
        return v.intValue();
    }

    List<String> strings(JsonNode node, String key, String ctx) throws ViewLoadException {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw fail(ctx + ": '" + key + "' must be a list");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isValueNode()) {
                throw fail(ctx + ": '" + key + "' must be a list of text values");
            }
            out.add(e.isNull() ? "" : e.asText());
        }
        return out;
    }

    Aggregation aggregation(JsonNode node, String key, String ctx) throws ViewLoadException {
        String s = text(node, key, false, ctx);
        if (s == null) {
            return Aggregation.NONE;
        }
        try {
            return Aggregation.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw fail(ctx + ": unknown " + key + " '" + s + "' (known: NONE, SUM, AVG, TIME_AVG, MIN, MAX, COUNT_DISTINCT)");
        }
    }
}
