package org.snnc.runtime.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --data SPEC} syntax (DESIGN.md §9): {@code NAME[:key=value,...]}. Only the built-in
 * {@code shapes} set exists in this version; the others the design names are refused by name.
 */
public final class DataSpec {

    private static final List<String> PLANNED = List.of("voc", "ddd17", "dvs-shapes");

    private DataSpec() {
    }

    public static Dataset parse(String spec) {
        String text = spec.strip();
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        String rest = colon < 0 ? "" : text.substring(colon + 1);
        if (name.equals("shapes")) {
            return new ShapesDataset(ShapesDataset.Config.parse(options(spec, rest)));
        }
        if (PLANNED.contains(name)) {
            throw new DataSpecException("data set '" + name + "' is not available in this version of snnc; use shapes[:k=v,...]");
        }
        throw new DataSpecException("unknown data set '" + name + "' in --data " + spec + "; known: shapes");
    }

    /** {@code k=v,k=v} to an ordered map; a key given twice or an entry without '=' is an error. */
    static Map<String, String> options(String spec, String text) {
        Map<String, String> map = new LinkedHashMap<>();
        if (text.isBlank()) {
            return map;
        }
        for (String entry : text.split(",", -1)) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new DataSpecException("'" + entry + "' in --data " + spec + " is not of the form key=value");
            }
            String key = entry.substring(0, eq).strip();
            if (map.put(key, entry.substring(eq + 1).strip()) != null) {
                throw new DataSpecException("key '" + key + "' is given twice in --data " + spec);
            }
        }
        return map;
    }
}
