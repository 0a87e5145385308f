package org.snnc.compiler.target;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.snnc.compiler.target.YamlTree.Entry;
import org.snnc.compiler.target.YamlTree.Kind;
import org.snnc.compiler.target.YamlTree.Location;
import org.snnc.compiler.target.YamlTree.YamlMap;
import org.snnc.compiler.target.YamlTree.YamlScalar;
import org.snnc.compiler.target.YamlTree.YamlSeq;

/**
 * Reads the keys of one YAML map against the schema, one typed getter per key.
 *
 * <p>Every getter declares its key as known, so {@link #finish} can tell unknown keys from
 * known ones without a second copy of the schema. A getter returns null when the value is
 * missing or wrong, after recording why; the caller builds the model only when no error was
 * recorded. A section that is itself missing or not a map reads as empty without further
 * errors, because its parent already reported it.
 */
final class Section {

    private static final List<String> LEAF_KEYS = List.of("value", "source");
    private static final List<String> LEAF_KEYS_WITH_UNIT = List.of("value", "unit", "source");

    private final Problems problems;
    final String path;
    private final YamlMap map;
    private final Location anchor;
    private final Map<String, String> known = new LinkedHashMap<>();
    private final Map<String, String> missing = new LinkedHashMap<>();

    private Section(Problems problems, String path, YamlMap map, Location anchor) {
        this.problems = problems;
        this.path = path;
        this.map = map;
        this.anchor = anchor;
        problems.register(this);
    }

    /** The top level of a file; {@code root} is null when the file did not parse. */
    static Section root(Problems problems, YamlTree root) {
        if (root != null && !(root instanceof YamlMap)) {
            problems.add(root.at(), "", "expected a map of target keys at the top level, got "
                            + root.describe(),
                    "a target file is a map: schema_version, name, description, chip, board, "
                            + "core, numbers, neuron, timing, energy");
            root = null;
        }
        return new Section(problems, "", (YamlMap) root,
                root == null ? Location.START : root.at());
    }

    /** Whether the key is written, right or wrong. */
    boolean has(String key) {
        return map != null && map.entry(key) != null;
    }

    Collection<String> knownKeys() {
        return known.keySet();
    }

    private String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private Entry take(String key, String meaning, boolean required, String missingHint) {
        known.put(key, meaning);
        if (map == null) {
            return null;
        }
        Entry e = map.entry(key);
        if (e == null && required) {
            missing.put(key, missingHint);
        }
        return e;
    }

    // ---- sections and plain strings (the keys that are not hardware constants) ----

    Section section(String key, String meaning) {
        Entry e = take(key, meaning, true,
                "add the section '" + key + ":' (" + meaning + "), see docs/targets.md");
        if (e == null) {
            return new Section(problems, pathOf(key), null, anchor);
        }
        if (e.value() instanceof YamlMap m) {
            return new Section(problems, pathOf(key), m, e.keyAt());
        }
        problems.add(e.value().at(), pathOf(key), "expected a map, got " + e.value().describe(),
                "put the keys of " + key + " on the lines below it, indented");
        return new Section(problems, pathOf(key), null, e.keyAt());
    }

    String text(String key, String meaning, String pattern, String patternWords) {
        Entry e = take(key, meaning, true, "add " + key + ": <" + meaning + ">");
        if (e == null) {
            return null;
        }
        if (!(e.value() instanceof YamlScalar s) || s.kind() != Kind.STRING) {
            problems.add(e.value().at(), pathOf(key),
                    "expected a string, got " + e.value().describe(),
                    "write " + meaning + ", in quotes if it looks like a number");
            return null;
        }
        if (!s.text().matches(pattern)) {
            problems.add(s.at(), pathOf(key), "expected " + patternWords + ", got \""
                    + s.text() + "\"", "write " + meaning);
            return null;
        }
        return s.text();
    }

    /** An integer without a source: only for metadata, never for a hardware constant. */
    Integer plainInteger(String key, int min, int max, String meaning) {
        Entry e = take(key, meaning, true, "add " + key + ": " + max + " (" + meaning + ")");
        if (e == null) {
            return null;
        }
        YamlScalar s = integerScalar(e.value(), pathOf(key), meaning);
        if (s == null) {
            return null;
        }
        if (!inRange(s, min, max)) {
            problems.add(s.at(), pathOf(key), "unsupported value " + s.text()
                    + "; this snnc reads " + rangeWords(min, max), "write " + key + ": " + max);
            return null;
        }
        return s.integer().intValueExact();
    }

    // ---- sourced constants ----

    Sourced<Integer> integer(String key, int min, int max, String meaning) {
        Leaf leaf = leaf(key, meaning, null, true, "<" + meaning + ">");
        if (leaf == null || leaf.value == null) {
            return null;
        }
        YamlScalar s = integerScalar(leaf.value, pathOf(key), meaning);
        if (s == null) {
            return null;
        }
        if (!inRange(s, min, max)) {
            problems.add(s.at(), pathOf(key), "expected " + rangeWords(min, max) + ", got "
                    + s.text(), key + " is " + meaning + "; give a value from " + min + " to "
                    + max);
            return null;
        }
        problems.rememberValue(pathOf(key), s.at());
        return leaf.source == null ? null : new Sourced<>(s.integer().intValueExact(), leaf.source);
    }

    Sourced<Boolean> flag(String key, String meaning) {
        Leaf leaf = leaf(key, meaning, null, true, "<true or false: " + meaning + ">");
        if (leaf == null || leaf.value == null) {
            return null;
        }
        if (!(leaf.value instanceof YamlScalar s) || s.kind() != Kind.BOOLEAN
                || !(s.text().equals("true") || s.text().equals("false"))) {
            problems.add(leaf.value.at(), pathOf(key),
                    "expected true or false, got " + leaf.value.describe(),
                    "write true or false (" + meaning + "); YAML's yes, no, on and off are "
                            + "refused because they are easy to misread");
            return null;
        }
        problems.rememberValue(pathOf(key), s.at());
        return leaf.source == null ? null : new Sourced<>(s.text().equals("true"), leaf.source);
    }

    <E extends Enum<E>> Sourced<E> choice(String key, Class<E> type, String meaning) {
        return optionalChoice(key, type, meaning, true).orElse(null);
    }

    <E extends Enum<E>> Optional<Sourced<E>> optionalChoice(String key, Class<E> type,
                                                            String meaning, boolean required) {
        Leaf leaf = leaf(key, meaning, null, required,
                "<one of " + String.join(", ", names(type)) + ">");
        if (leaf == null || leaf.value == null) {
            return Optional.empty();
        }
        E value = enumValue(leaf.value, type, pathOf(key), meaning);
        if (value == null || leaf.source == null) {
            return Optional.empty();
        }
        problems.rememberValue(pathOf(key), leaf.value.at());
        return Optional.of(new Sourced<>(value, leaf.source));
    }

    <E extends Enum<E>> Sourced<Set<E>> choices(String key, Class<E> type, String meaning) {
        Leaf leaf = leaf(key, meaning, null, true,
                "[<one or more of " + String.join(", ", names(type)) + ">]");
        if (leaf == null || leaf.value == null) {
            return null;
        }
        if (!(leaf.value instanceof YamlSeq seq) || seq.items().isEmpty()) {
            problems.add(leaf.value.at(), pathOf(key), "expected a non-empty list, got "
                            + leaf.value.describe(),
                    "write a list such as [" + String.join(", ", names(type)) + "] ("
                            + meaning + ")");
            return null;
        }
        Set<E> values = EnumSet.noneOf(type);
        boolean ok = true;
        for (YamlTree item : seq.items()) {
            E value = enumValue(item, type, pathOf(key), meaning);
            if (value == null) {
                ok = false;
            } else if (!values.add(value)) {
                problems.add(item.at(), pathOf(key), ((YamlScalar) item).text()
                        + " is listed twice", "list each mode once");
                ok = false;
            }
        }
        problems.rememberValue(pathOf(key), leaf.value.at());
        return ok && leaf.source != null ? new Sourced<>(Set.copyOf(values), leaf.source) : null;
    }

    Quantity quantity(String key, List<String> units, boolean positive, String meaning) {
        return optionalQuantity(key, units, positive, meaning, true).orElse(null);
    }

    Optional<Quantity> optionalQuantity(String key, List<String> units, boolean positive,
                                        String meaning, boolean required) {
        Leaf leaf = leaf(key, meaning, units, required, "<" + meaning + ">");
        if (leaf == null) {
            return Optional.empty();
        }
        Double value = null;
        if (leaf.value != null) {
            value = number(leaf.value, pathOf(key), positive, meaning);
        }
        String unit = null;
        if (leaf.unit != null) {
            if (units.contains(leaf.unit.text())) {
                unit = leaf.unit.text();
            } else {
                problems.add(leaf.unit.at(), pathOf(key), (units.size() == 1
                                ? "expected unit " + units.get(0)
                                : "expected one of " + String.join(", ", units) + " as unit")
                                + ", got " + leaf.unit.text(),
                        units.size() == 1 ? "convert the value to " + units.get(0)
                                : "convert the value to one of " + String.join(", ", units));
            }
        }
        if (value == null || unit == null || leaf.source == null) {
            return Optional.empty();
        }
        problems.rememberValue(pathOf(key), leaf.value.at());
        return Optional.of(new Quantity(value, unit, leaf.source));
    }

    // ---- the shape every constant shares: { value, [unit,] source } ----

    private static final class Leaf {
        YamlTree value;
        YamlScalar unit;
        String source;
    }

    /**
     * Reads the map around one constant, reporting everything wrong with its shape and
     * source. Returns null when the key is absent or is no map; otherwise a leaf whose null
     * fields were missing or wrong (and reported).
     *
     * @param units the units the constant may be written in, or null when it is dimensionless
     */
    private Leaf leaf(String key, String meaning, List<String> units, boolean required,
                      String valueWords) {
        boolean withUnit = units != null;
        String unitWords = withUnit ? String.join(" or ", units) : null;
        String example = "{ value: " + valueWords + (withUnit ? ", unit: " + unitWords : "")
                + ", source: \"...\" }";
        Entry e = take(key, meaning, required, "add " + key + ": " + example);
        if (e == null) {
            return null;
        }
        String keyPath = pathOf(key);
        if (!(e.value() instanceof YamlMap m)) {
            String written = e.value() instanceof YamlScalar s && s.kind() != Kind.NULL
                    ? s.text() : "...";
            if (e.value() instanceof YamlScalar s && s.kind() == Kind.NULL) {
                problems.add(e.value().at(), keyPath, "no value given",
                        "write " + key + ": " + example);
            } else {
                problems.add(e.value().at(), keyPath, "constant " + (e.value() instanceof YamlSeq
                                ? "list" : written) + " has no source",
                        "write it as { value: " + written + (withUnit ? ", unit: " + unitWords : "")
                                + ", source: \"where the number comes from\" }; mark an "
                                + "unconfirmed number [U]");
            }
            return null;
        }
        List<String> leafKeys = withUnit ? LEAF_KEYS_WITH_UNIT : LEAF_KEYS;
        Set<String> suggested = new HashSet<>();
        Map<String, Entry> seen = new HashMap<>();
        for (Entry inner : m.entries()) {
            Entry first = seen.putIfAbsent(inner.key(), inner);
            if (first != null) {
                duplicate(keyPath, inner, first);
            } else if (!leafKeys.contains(inner.key())) {
                String close = EditDistance.closest(inner.key(), leafKeys);
                if (close != null) {
                    suggested.add(close);
                }
                String hint = close != null ? "did you mean '" + close + "'?"
                        : inner.key().equals("unit") ? key + " is dimensionless: its unit is in "
                        + "its name; remove unit"
                        : "a constant has only the keys " + String.join(", ", leafKeys);
                problems.add(inner.keyAt(), keyPath + "." + inner.key(), "unknown key", hint);
            }
        }
        Leaf leaf = new Leaf();
        Entry value = m.entry("value");
        if (value == null) {
            if (!suggested.contains("value")) {
                problems.add(m.at(), keyPath, "constant has no value",
                        "add value: " + valueWords);
            }
        } else if (value.value() instanceof YamlScalar s && s.kind() == Kind.NULL) {
            problems.add(s.at(), keyPath, "value is empty", "write value: " + valueWords);
        } else {
            leaf.value = value.value();
        }
        if (withUnit) {
            Entry unit = m.entry("unit");
            if (unit == null) {
                if (!suggested.contains("unit")) {
                    problems.add(m.at(), keyPath, "constant has no unit",
                            "add unit: " + unitWords);
                }
            } else if (unit.value() instanceof YamlScalar s && s.kind() == Kind.STRING) {
                leaf.unit = s;
            } else {
                problems.add(unit.value().at(), keyPath, "expected a unit name, got "
                        + unit.value().describe(), "write a unit such as pJ, ns or mW");
            }
        }
        Entry source = m.entry("source");
        if (source == null) {
            if (!suggested.contains("source")) {
                problems.add(m.at(), keyPath, "constant has no source",
                        "add source: \"where the number comes from\" (a paper, datasheet or "
                                + "code file); mark an unconfirmed number [U]");
            }
        } else if (!(source.value() instanceof YamlScalar s) || s.kind() != Kind.STRING) {
            problems.add(source.value().at(), keyPath, "expected the source as a string, got "
                    + source.value().describe(), "write source: \"...\" in quotes");
        } else if (s.text().isBlank()) {
            problems.add(s.at(), keyPath, "source is empty",
                    "say where the number comes from; mark an unconfirmed number [U]");
        } else {
            leaf.source = s.text();
        }
        return leaf;
    }

    // ---- scalar checks ----

    private YamlScalar integerScalar(YamlTree node, String keyPath, String meaning) {
        if (node instanceof YamlScalar s && s.kind() == Kind.INTEGER) {
            return s;
        }
        String hint = "give " + meaning + " as a whole number";
        if (node instanceof YamlScalar s && s.kind() == Kind.STRING
                && s.text().strip().matches("[-+]?[0-9]+")) {
            hint = "remove the quotes around " + s.text().strip();
        } else if (node instanceof YamlScalar s && s.kind() == Kind.REAL
                && s.real() == Math.rint(s.real()) && Double.isFinite(s.real())) {
            hint = "write it without a fraction: " + (long) s.real();
        }
        problems.add(node.at(), keyPath, "expected an integer, got " + node.describe(), hint);
        return null;
    }

    private static String lastKey(String keyPath) {
        return keyPath.substring(keyPath.lastIndexOf('.') + 1);
    }

    private static boolean inRange(YamlScalar s, long min, long max) {
        return s.integer().compareTo(BigInteger.valueOf(min)) >= 0
                && s.integer().compareTo(BigInteger.valueOf(max)) <= 0;
    }

    private static String rangeWords(long min, long max) {
        return min == max ? "exactly " + min : "an integer from " + min + " to " + max;
    }

    private Double number(YamlTree node, String keyPath, boolean positive, String meaning) {
        if (!(node instanceof YamlScalar s)
                || (s.kind() != Kind.INTEGER && s.kind() != Kind.REAL)) {
            String hint = node instanceof YamlScalar s && s.kind() == Kind.STRING
                    && s.text().strip().matches("[-+]?[0-9.eE+-]+")
                    ? "remove the quotes around " + s.text().strip()
                    : "give " + meaning + " as a number";
            problems.add(node.at(), keyPath, "expected a number, got " + node.describe(), hint);
            return null;
        }
        double v = s.real();
        if (!Double.isFinite(v) || v < 0 || (positive && v == 0)) {
            problems.add(s.at(), keyPath, "expected a " + (positive ? "positive" : "non-negative")
                    + " finite number, got " + s.text(), lastKey(keyPath) + " is " + meaning
                    + (positive ? "; it must be above 0" : "; it cannot be negative"));
            return null;
        }
        return v;
    }

    private <E extends Enum<E>> E enumValue(YamlTree node, Class<E> type, String keyPath,
                                            String meaning) {
        List<String> names = names(type);
        String written = node instanceof YamlScalar s && s.kind() != Kind.NULL ? s.text() : null;
        if (written != null && names.contains(written)) {
            return Enum.valueOf(type, written.toUpperCase(Locale.ROOT));
        }
        String close = written == null ? null : EditDistance.closest(written, names);
        problems.add(node.at(), keyPath, "expected one of " + String.join(", ", names) + ", got "
                        + (written == null ? node.describe() : written),
                close != null ? "did you mean '" + close + "'?"
                        : "write one of " + String.join(", ", names) + " (" + meaning + ")");
        return null;
    }

    private static <E extends Enum<E>> List<String> names(Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        return names;
    }

    // ---- unknown, duplicate and missing keys ----

    private void duplicate(String mapPath, Entry again, Entry first) {
        problems.add(again.keyAt(), mapPath.isEmpty() ? again.key() : mapPath + "." + again.key(),
                "key given twice; the first is at line " + first.keyAt().line(),
                "keep one of the two");
    }

    /**
     * @param homes every known key, with the paths of the sections that know it, to tell a user
     *              who put a key in the wrong section where it belongs
     */
    void finish(Map<String, List<String>> homes) {
        if (map == null) {
            return;
        }
        Set<String> suggested = new HashSet<>();
        Map<String, Entry> seen = new HashMap<>();
        for (Entry e : map.entries()) {
            Entry first = seen.putIfAbsent(e.key(), e);
            if (first != null) {
                duplicate(path, e, first);
                continue;
            }
            if (known.containsKey(e.key())) {
                continue;
            }
            String close = EditDistance.closest(e.key(), known.keySet());
            String hint;
            if (close != null) {
                suggested.add(close);
                hint = "did you mean '" + close + "'?";
            } else if (homes.containsKey(e.key())) {
                hint = "'" + e.key() + "' belongs in " + homes.get(e.key()).stream()
                        .map(p -> p.isEmpty() ? "the top level" : "'" + p + "'")
                        .collect(Collectors.joining(" or "));
            } else {
                hint = "the keys of " + (path.isEmpty() ? "the top level" : path) + " are "
                        + String.join(", ", known.keySet());
            }
            problems.add(e.keyAt(), pathOf(e.key()), "unknown key", hint);
        }
        missing.forEach((key, hint) -> {
            if (!suggested.contains(key)) {
                problems.add(anchor, pathOf(key), "missing required key", hint);
            }
        });
    }
}
