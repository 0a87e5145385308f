package org.snnc.runtime.data;

import java.util.Map;
import java.util.SplittableRandom;
import org.snnc.compiler.ir.Shape;
import org.snnc.runtime.model.Seeds;

/**
 * The built-in synthetic segmentation set: RGB images of 1 to 3 filled shapes on a textured,
 * low-saturation background, generated on the fly from (seed, split, index) alone, so any sample
 * can be produced in any order on any thread.
 *
 * <p>Class 0 is the background. Foreground class {@code c >= 1} is a pair (shape kind, colour
 * scheme): kind {@code (c-1) mod 3} (circle, rectangle, triangle) and scheme {@code (c-1) mod 4}
 * (red, green, blue, yellow hues, jittered); the pairs are distinct for up to 12 foreground
 * classes. Later shapes cover earlier ones. The validation split's samples are those after the
 * training split's, so the two never share an image.
 */
public final class ShapesDataset implements Dataset {

    /**
     * @param classes classes including background, 2 to 13
     * @param size    image height and width in pixels
     * @param train   training samples
     * @param val     validation samples
     * @param seed    seed of every image
     */
    public record Config(int classes, int size, int train, int val, long seed) {

        public static final Config DEFAULT = new Config(4, 32, 2000, 200, 1);

        public Config {
            check("classes", classes, 2, MAX_CLASSES);
            check("size", size, 8, 4096);
            check("train", train, 1, Integer.MAX_VALUE / 2);
            check("val", val, 1, Integer.MAX_VALUE / 2);
        }

        private static void check(String key, long v, long lo, long hi) {
            if (v < lo || v > hi) {
                throw new DataSpecException("shapes: '" + key + "' must be in [" + lo + ", " + hi + "], got " + v);
            }
        }

        static Config parse(Map<String, String> options) {
            int classes = DEFAULT.classes;
            int size = DEFAULT.size;
            int train = DEFAULT.train;
            int val = DEFAULT.val;
            long seed = DEFAULT.seed;
            for (Map.Entry<String, String> e : options.entrySet()) {
                String v = e.getValue();
                switch (e.getKey()) {
                    case "classes" -> classes = integer("classes", v);
                    case "size" -> size = integer("size", v);
                    case "train" -> train = integer("train", v);
                    case "val" -> val = integer("val", v);
                    case "seed" -> seed = longValue("seed", v);
                    default -> throw new DataSpecException("shapes: unknown key '" + e.getKey()
                            + "'; known keys: classes, size, train, val, seed");
                }
            }
            return new Config(classes, size, train, val, seed);
        }

        private static int integer(String key, String v) {
            long l = longValue(key, v);
            if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw new DataSpecException("shapes: '" + key + "' must be an integer, got '" + v + "'");
            }
            return (int) l;
        }

        private static long longValue(String key, String v) {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new DataSpecException("shapes: '" + key + "' must be an integer, got '" + v + "'");
            }
        }

        /** The canonical spec, every key spelled out. */
        public String spec() {
            return "shapes:classes=" + classes + ",size=" + size + ",train=" + train + ",val=" + val + ",seed=" + seed;
        }
    }

    public static final int MAX_CLASSES = 13;
    static final float[] SCHEME_HUES = {0.0f, 0.33f, 0.62f, 0.15f};

    private final Config config;

    public ShapesDataset(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    @Override
    public String spec() {
        return config.spec();
    }

    @Override
    public Shape imageShape() {
        return new Shape(3, config.size, config.size);
    }

    @Override
    public int classes() {
        return config.classes;
    }

    @Override
    public int size(Split split) {
        return split == Split.TRAIN ? config.train : config.val;
    }

    @Override
    public void read(Split split, int index, float[] image, int imageOff, int[] labels, int labelOff) {
        if (index < 0 || index >= size(split)) {
            throw new IndexOutOfBoundsException("sample " + index + " outside the " + size(split) + " of " + split.keyword());
        }
        long id = split == Split.TRAIN ? index : (long) config.train + index;
        SplittableRandom r = new SplittableRandom(Seeds.mix(config.seed, id));
        int s = config.size;
        int plane = s * s;
        background(r, image, imageOff, s);
        java.util.Arrays.fill(labels, labelOff, labelOff + plane, 0);
        int objects = 1 + r.nextInt(3);
        float[] rgb = new float[3];
        for (int k = 0; k < objects; k++) {
            int cls = 1 + r.nextInt(config.classes - 1);
            int kind = (cls - 1) % 3;
            float hue = SCHEME_HUES[(cls - 1) % 4] + (float) (r.nextDouble() - 0.5) * 0.06f;
            hsv(hue, 0.7f + 0.3f * (float) r.nextDouble(), 0.7f + 0.3f * (float) r.nextDouble(), rgb);
            double radius = s * (0.12 + 0.18 * r.nextDouble());
            double cx = s * r.nextDouble();
            double cy = s * r.nextDouble();
            double a = radius * (0.6 + 0.4 * r.nextDouble());
            double b = radius * (0.6 + 0.4 * r.nextDouble());
            double angle = 2 * Math.PI * r.nextDouble();
            double[] tx = new double[3];
            double[] ty = new double[3];
            for (int v = 0; v < 3; v++) {
                tx[v] = cx + radius * Math.cos(angle + v * 2 * Math.PI / 3);
                ty[v] = cy + radius * Math.sin(angle + v * 2 * Math.PI / 3);
            }
            for (int y = 0; y < s; y++) {
                double py = y + 0.5;
                for (int x = 0; x < s; x++) {
                    double px = x + 0.5;
                    boolean inside = switch (kind) {
                        case 0 -> (px - cx) * (px - cx) + (py - cy) * (py - cy) <= radius * radius;
                        case 1 -> Math.abs(px - cx) <= a && Math.abs(py - cy) <= b;
                        default -> inTriangle(px, py, tx, ty);
                    };
                    if (!inside) {
                        continue;
                    }
                    // A soft shading across the shape so that colour alone is not constant.
                    float shade = 0.85f + 0.15f * (float) ((px - cx + radius) / (2 * radius));
                    int q = y * s + x;
                    for (int c = 0; c < 3; c++) {
                        image[imageOff + c * plane + q] = clamp(rgb[c] * shade + noise(r));
                    }
                    labels[labelOff + q] = cls;
                }
            }
        }
    }

    private static void background(SplittableRandom r, float[] image, int off, int s) {
        float[] base = new float[3];
        hsv((float) r.nextDouble(), 0.1f + 0.25f * (float) r.nextDouble(), 0.3f + 0.5f * (float) r.nextDouble(), base);
        double fx = (1 + 3 * r.nextDouble()) * 2 * Math.PI / s;
        double fy = (1 + 3 * r.nextDouble()) * 2 * Math.PI / s;
        double phase = 2 * Math.PI * r.nextDouble();
        int plane = s * s;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                float stripe = (float) (0.08 * Math.sin(fx * x + fy * y + phase));
                for (int c = 0; c < 3; c++) {
                    image[off + c * plane + y * s + x] = clamp(base[c] + stripe + noise(r));
                }
            }
        }
    }

    private static float noise(SplittableRandom r) {
        return (float) (r.nextDouble() - 0.5) * 0.08f;
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    static boolean inTriangle(double px, double py, double[] tx, double[] ty) {
        double d1 = cross(px, py, tx[0], ty[0], tx[1], ty[1]);
        double d2 = cross(px, py, tx[1], ty[1], tx[2], ty[2]);
        double d3 = cross(px, py, tx[2], ty[2], tx[0], ty[0]);
        boolean neg = d1 < 0 || d2 < 0 || d3 < 0;
        boolean pos = d1 > 0 || d2 > 0 || d3 > 0;
        return !(neg && pos);
    }

    private static double cross(double px, double py, double ax, double ay, double bx, double by) {
        return (px - bx) * (ay - by) - (ax - bx) * (py - by);
    }

    /** HSV in [0, 1] (hue wraps) to RGB. */
    static void hsv(float h, float s, float v, float[] rgb) {
        float hue = (h % 1f + 1f) % 1f * 6f;
        int sector = (int) hue % 6;
        float f = hue - (int) hue;
        float p = v * (1 - s);
        float q = v * (1 - s * f);
        float t = v * (1 - s * (1 - f));
        float r;
        float g;
        float b;
        switch (sector) {
            case 0 -> { r = v; g = t; b = p; }
            case 1 -> { r = q; g = v; b = p; }
            case 2 -> { r = p; g = v; b = t; }
            case 3 -> { r = p; g = q; b = v; }
            case 4 -> { r = t; g = p; b = v; }
            default -> { r = v; g = p; b = q; }
        }
        rgb[0] = r;
        rgb[1] = g;
        rgb[2] = b;
    }
}
