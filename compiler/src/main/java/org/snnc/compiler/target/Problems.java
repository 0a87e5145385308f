package org.snnc.compiler.target;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the errors of one file while it is read, so that all of them are reported together,
 * and remembers where each constant's value was written for checks that relate two keys.
 */
final class Problems {

    final String file;
    private final List<TargetError> errors = new ArrayList<>();
    private final Map<String, YamlTree.Location> valueLocations = new HashMap<>();
    private final List<Section> sections = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void add(YamlTree.Location at, String keyPath, String message, String hint) {
        errors.add(new TargetError(file, at.line(), at.column(), keyPath, message, hint));
    }

    boolean any() {
        return !errors.isEmpty();
    }

    void rememberValue(String keyPath, YamlTree.Location at) {
        valueLocations.put(keyPath, at);
    }

    YamlTree.Location valueAt(String keyPath) {
        return valueLocations.getOrDefault(keyPath, YamlTree.Location.START);
    }

    void register(Section section) {
        sections.add(section);
    }

    /**
     * Reports unknown, duplicate and missing keys of every section. Runs after all sections
     * were read, because a key misplaced in one section is recognised by its name in another.
     */
    void finishSections() {
        Map<String, List<String>> homes = new LinkedHashMap<>();
        for (Section s : sections) {
            for (String key : s.knownKeys()) {
                homes.computeIfAbsent(key, k -> new ArrayList<>()).add(s.path);
            }
        }
        for (Section s : sections) {
            s.finish(homes);
        }
    }

    /** The errors in the order of their position in the file, file-level ones first. */
    List<TargetError> sorted() {
        List<TargetError> out = new ArrayList<>(errors);
        out.sort(Comparator.comparingInt(TargetError::line).thenComparingInt(TargetError::column));
        return out;
    }
}
