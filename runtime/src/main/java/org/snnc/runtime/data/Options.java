package org.snnc.runtime.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code key=value} options of one {@code --data} spec, read once each: a value that does
 * not parse or is out of range, and a key left unread, are errors that name the set and the key.
 */
final class Options {

    private final String set;
    private final Map<String, String> values;
    private final List<String> known = new ArrayList<>();

    Options(String set, Map<String, String> values) {
        this.set = set;
        this.values = new LinkedHashMap<>(values);
    }

    long integer(String key, long fallback, long lo, long hi) {
        known.add(key);
        String v = values.remove(key);
        long x;
        if (v == null) {
            x = fallback;
        } else {
            try {
                x = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new DataSpecException(set + ": '" + key + "' must be an integer, got '" + v + "'");
            }
        }
        if (x < lo || x > hi) {
            throw new DataSpecException(set + ": '" + key + "' must be in [" + lo + ", " + hi + "], got " + x);
        }
        return x;
    }

    int integer(String key, int fallback, int lo, int hi) {
        return (int) integer(key, (long) fallback, lo, hi);
    }

    double real(String key, double fallback, double lo, double hi) {
        known.add(key);
        String v = values.remove(key);
        double x;
        if (v == null) {
            x = fallback;
        } else {
            try {
                x = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new DataSpecException(set + ": '" + key + "' must be a number, got '" + v + "'");
            }
        }
        if (!(x >= lo && x <= hi)) {
            throw new DataSpecException(set + ": '" + key + "' must be in [" + lo + ", " + hi + "], got " + v);
        }
        return x;
    }

    String string(String key, String fallback) {
        known.add(key);
        String v = values.remove(key);
        return v == null ? fallback : v;
    }

    /** One of {@code choices}. */
    String choice(String key, String fallback, List<String> choices) {
        String v = string(key, fallback);
        if (!choices.contains(v)) {
            throw new DataSpecException(set + ": '" + key + "' must be one of " + String.join(", ", choices) + ", got '" + v + "'");
        }
        return v;
    }

    /** After every key has been read: refuses the ones left. */
    void done() {
        if (!values.isEmpty()) {
            throw new DataSpecException(set + ": unknown key '" + values.keySet().iterator().next() + "'; known keys: "
                    + String.join(", ", known));
        }
    }
}
