package org.snnc.runtime.data;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code --data SPEC} syntax (DESIGN.md §9): {@code NAME[:key=value,...]} for the built-in
 * sets ({@code shapes}, {@code dvs-shapes}) and {@code NAME:DIR[,key=value,...]} for the sets read
 * from a directory ({@code voc}, {@code ddd17}); the directory is everything up to the first
 * comma.
 */
public final class DataSpec {

    private DataSpec() {
    }

    public static Dataset parse(String spec) {
        String text = spec.strip();
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        String rest = colon < 0 ? "" : text.substring(colon + 1);
        switch (name) {
            case "shapes":
                return new ShapesDataset(ShapesDataset.Config.parse(options(spec, rest)));
            case "dvs-shapes":
                return new DvsShapesDataset(DvsShapesDataset.Config.parse(options(spec, rest)));
            case "voc":
            case "ddd17": {
                int comma = rest.indexOf(',');
                String dir = (comma < 0 ? rest : rest.substring(0, comma)).strip();
                if (dir.isEmpty() || dir.contains("=")) {
                    throw new DataSpecException("--data " + spec + " names no directory; write " + name
                            + ":DIR[,key=value,...]" + (name.equals("voc") ? " with DIR holding JPEGImages/,"
                            + " SegmentationClass/ and ImageSets/Segmentation/" : " with DIR holding Ev-SegNet's"
                            + " train/ and test/ folders"));
                }
                Map<String, String> options = options(spec, comma < 0 ? "" : rest.substring(comma + 1));
                return name.equals("voc") ? VocDataset.open(Path.of(dir), options) : Ddd17Dataset.open(Path.of(dir), options);
            }
            default:
                throw new DataSpecException("unknown data set '" + name + "' in --data " + spec
                        + "; known: shapes, dvs-shapes, voc:DIR, ddd17:DIR");
        }
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
