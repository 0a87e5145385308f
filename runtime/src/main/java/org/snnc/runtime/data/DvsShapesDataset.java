package org.snnc.runtime.data;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.snnc.compiler.ir.Shape;
import org.snnc.runtime.model.Seeds;

/**
 * The built-in synthetic event set: the shapes of {@link ShapesDataset} (same classes: kind
 * {@code (c-1) mod 3}, colour scheme {@code (c-1) mod 4}) moving in straight lines over a static
 * textured background, seen by a simulated DVS pixel array. Each shape carries a grating of
 * random orientation whose period (3, 4.5, 6 or 7.5 pixels, jittered by 10%) is its colour
 * scheme's: the sensor sees luminance, not hue, and real objects carry texture. Each sample is generated from
 * (seed, split, index) alone.
 *
 * <p>The scene is rendered in luminance ({@code 0.299 R + 0.587 G + 0.114 B}, 2x2 samples per
 * pixel so that sub-pixel motion changes the edge pixels) at the start of the sequence and at
 * the end of each of its {@code timesteps} windows. Each pixel behaves as a DVS pixel: it keeps
 * the log luminance of its last event and emits one ON (channel 0) or OFF (channel 1) event per
 * {@link #CONTRAST} that the log luminance has risen or fallen since. Spurious events are added
 * with probability {@code noise} per pixel, polarity and window. Events therefore appear at the
 * moving outlines and, with {@code texture > 0}, across the moving shapes' gratings; the static
 * background stays silent.
 *
 * <p>Events threshold differences of logs, so one ulp can add or drop an event: the
 * transcendental functions are {@link StrictMath}'s, whose results do not depend on the platform.
 *
 * <p>The labels of a sample are those of the scene at the end of its last window; each shape's
 * final position is uniform over the image, its start {@code timesteps} steps of its velocity
 * before. Classes that share a kind differ in luminance, which events carry only through the
 * polarity and timing of the edges, and in the grating's period.
 */
public final class DvsShapesDataset implements Dataset {

    /** The change of log luminance that makes one event. */
    public static final double CONTRAST = 0.15;
    /**
     * Grating period in pixels of each colour scheme (red, green, blue, yellow): the DVS sees
     * luminance only, so a scheme's texture stands in for its hue.
     */
    private static final double[] PERIODS = {3, 4.5, 6, 7.5};
    /** Added to luminance in [0, 1] before the log, as a sensor's dark current. */
    private static final double DARK = 0.02;

    /**
     * @param classes   classes including background, 2 to 13
     * @param size      frame height and width in pixels
     * @param timesteps frames (windows) per sample
     * @param train     training samples
     * @param val       validation samples
     * @param seed      seed of every sample
     * @param speed     mean speed of a shape in pixels per window (each shape's is 0.5 to 1.5 times it)
     * @param noise     probability of a spurious event per pixel, polarity and window
     * @param texture   contrast of the grating on each shape, 0 (plain: events at the outline
     *                  only) to 1
     */
    public record Config(int classes, int size, int timesteps, int train, int val, long seed, double speed,
                         double noise, double texture) {

        public static final Config DEFAULT = new Config(4, 32, 20, 2000, 200, 1, 1.0, 0.002, 0.3);

        static Config parse(Map<String, String> map) {
            Options o = new Options("dvs-shapes", map);
            Config c = new Config(o.integer("classes", DEFAULT.classes, 2, ShapesDataset.MAX_CLASSES),
                    o.integer("size", DEFAULT.size, 8, 4096),
                    o.integer("timesteps", DEFAULT.timesteps, 1, 10_000),
                    o.integer("train", DEFAULT.train, 1, Integer.MAX_VALUE / 2),
                    o.integer("val", DEFAULT.val, 1, Integer.MAX_VALUE / 2),
                    o.integer("seed", DEFAULT.seed, Long.MIN_VALUE, Long.MAX_VALUE),
                    o.real("speed", DEFAULT.speed, 0, 1e6),
                    o.real("noise", DEFAULT.noise, 0, 1),
                    o.real("texture", DEFAULT.texture, 0, 1));
            o.done();
            return c;
        }

        /** The canonical spec, every key spelled out. */
        public String spec() {
            return "dvs-shapes:classes=" + classes + ",size=" + size + ",timesteps=" + timesteps + ",train=" + train
                    + ",val=" + val + ",seed=" + seed + ",speed=" + speed + ",noise=" + noise + ",texture=" + texture;
        }
    }

    private final Config config;

    public DvsShapesDataset(Config config) {
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
        return new Shape(2, config.size, config.size);
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
    public int timesteps() {
        return config.timesteps;
    }

    @Override
    public void readFrames(Split split, int index, float[] frames, int framesOff, int[] labels, int labelOff) {
        generate(split, index, frames, framesOff, labels, labelOff, false);
    }

    /**
     * The static summary of a sample: per polarity, the fraction of its windows in which each
     * pixel had an event, a rate in [0, 1] for Poisson encodings.
     */
    @Override
    public void read(Split split, int index, float[] image, int imageOff, int[] labels, int labelOff) {
        int plane = config.size * config.size;
        float[] frames = new float[config.timesteps * 2 * plane];
        generate(split, index, frames, 0, labels, labelOff, false);
        EventFrames.occupancy(frames, config.timesteps, 2 * plane, image, imageOff);
    }

    /**
     * As {@link #readFrames}, with the labels at the end of every window:
     * {@code labels[timesteps][H][W]}, the last plane being {@link #readFrames}'s.
     */
    public void readSequence(Split split, int index, float[] frames, int framesOff, int[] labels, int labelOff) {
        generate(split, index, frames, framesOff, labels, labelOff, true);
    }

    /**
     * One moving shape: its class, geometry at time 0 (a triangle's corners relative to its
     * centre) and velocity in pixels per window.
     */
    private record Body(int cls, int kind, float luminance, double radius, double a, double b, double[] tx,
                        double[] ty, double x0, double y0, double vx, double vy, double kx, double ky, double phase) {

        boolean inside(double px, double py, double t) {
            double dx = px - (x0 + vx * t);
            double dy = py - (y0 + vy * t);
            return switch (kind) {
                case 0 -> dx * dx + dy * dy <= radius * radius;
                case 1 -> Math.abs(dx) <= a && Math.abs(dy) <= b;
                default -> ShapesDataset.inTriangle(dx, dy, tx, ty);
            };
        }

        /**
         * The shape's luminance at a point: the shading across it (as {@link ShapesDataset}'s)
         * times its grating, both moving with it.
         */
        float value(double px, double py, double t, double texture) {
            double dx = px - (x0 + vx * t);
            double dy = py - (y0 + vy * t);
            double shade = 0.85 + 0.15 * (dx + radius) / (2 * radius);
            double grating = 1 + texture * StrictMath.sin(kx * dx + ky * dy + phase);
            return (float) Math.max(0, Math.min(1, luminance * shade * grating));
        }
    }

    private void generate(Split split, int index, float[] frames, int framesOff, int[] labels, int labelOff,
                          boolean everyFrame) {
        if (index < 0 || index >= size(split)) {
            throw new IndexOutOfBoundsException("sample " + index + " outside the " + size(split) + " of " + split.keyword());
        }
        long id = split == Split.TRAIN ? index : (long) config.train + index;
        SplittableRandom r = new SplittableRandom(Seeds.mix(config.seed, 0xD75L, id));
        int s = config.size;
        int plane = s * s;
        int steps = config.timesteps;
        float[] background = background(r, s);
        int objects = 1 + r.nextInt(3);
        Body[] bodies = new Body[objects];
        float[] rgb = new float[3];
        for (int k = 0; k < objects; k++) {
            int cls = 1 + r.nextInt(config.classes - 1);
            float hue = ShapesDataset.SCHEME_HUES[(cls - 1) % 4] + (float) (r.nextDouble() - 0.5) * 0.06f;
            ShapesDataset.hsv(hue, 0.7f + 0.3f * (float) r.nextDouble(), 0.7f + 0.3f * (float) r.nextDouble(), rgb);
            double radius = s * (0.12 + 0.18 * r.nextDouble());
            double a = radius * (0.6 + 0.4 * r.nextDouble());
            double b = radius * (0.6 + 0.4 * r.nextDouble());
            double angle = 2 * Math.PI * r.nextDouble();
            double xEnd = s * r.nextDouble();
            double yEnd = s * r.nextDouble();
            double heading = 2 * Math.PI * r.nextDouble();
            double v = config.speed * (0.5 + r.nextDouble());
            double vx = v * StrictMath.cos(heading);
            double vy = v * StrictMath.sin(heading);
            double[] tx = new double[3];
            double[] ty = new double[3];
            for (int c = 0; c < 3; c++) {
                tx[c] = radius * StrictMath.cos(angle + c * 2 * Math.PI / 3);
                ty[c] = radius * StrictMath.sin(angle + c * 2 * Math.PI / 3);
            }
            double wave = 2 * Math.PI / (PERIODS[(cls - 1) % 4] * (0.9 + 0.2 * r.nextDouble()));
            double across = Math.PI * r.nextDouble();
            bodies[k] = new Body(cls, (cls - 1) % 3, 0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2], radius, a, b,
                    tx, ty, xEnd - vx * steps, yEnd - vy * steps, vx, vy, wave * StrictMath.cos(across),
                    wave * StrictMath.sin(across), 2 * Math.PI * r.nextDouble());
        }
        float[] lum = new float[plane];
        double[] reference = new double[plane];
        render(bodies, background, 0, s, config.texture, lum);
        for (int i = 0; i < plane; i++) {
            reference[i] = StrictMath.log(lum[i] + DARK);
        }
        int frame = 2 * plane;
        Arrays.fill(frames, framesOff, framesOff + steps * frame, 0f);
        for (int t = 0; t < steps; t++) {
            render(bodies, background, t + 1, s, config.texture, lum);
            int on = framesOff + t * frame;
            int off = on + plane;
            for (int i = 0; i < plane; i++) {
                double d = StrictMath.log(lum[i] + DARK) - reference[i];
                int n = (int) (Math.abs(d) / CONTRAST);
                if (n > 0) {
                    frames[(d > 0 ? on : off) + i] += n;
                    reference[i] += Math.signum(d) * n * CONTRAST;
                }
            }
            if (config.noise > 0) {
                for (int i = 0; i < frame; i++) {
                    if (r.nextDouble() < config.noise) {
                        frames[on + i] += 1f;
                    }
                }
            }
            if (everyFrame || t == steps - 1) {
                label(bodies, t + 1, s, labels, labelOff + (everyFrame ? t * plane : 0));
            }
        }
    }

    private static float[] background(SplittableRandom r, int s) {
        float base = 0.3f + 0.5f * (float) r.nextDouble();
        double fx = (1 + 3 * r.nextDouble()) * 2 * Math.PI / s;
        double fy = (1 + 3 * r.nextDouble()) * 2 * Math.PI / s;
        double phase = 2 * Math.PI * r.nextDouble();
        float[] bg = new float[s * s];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                bg[y * s + x] = (float) (base + 0.08 * StrictMath.sin(fx * x + fy * y + phase) + (r.nextDouble() - 0.5) * 0.08);
            }
        }
        return bg;
    }

    /** Luminance at time {@code t} (in windows), each pixel the mean of 2x2 samples; later shapes cover earlier ones. */
    private static void render(Body[] bodies, float[] background, double t, int s, double texture, float[] lum) {
        System.arraycopy(background, 0, lum, 0, lum.length);
        for (Body body : bodies) {
            double cx = body.x0 + body.vx * t;
            double cy = body.y0 + body.vy * t;
            int x0 = Math.max(0, (int) Math.floor(cx - body.radius) - 1);
            int x1 = Math.min(s - 1, (int) Math.ceil(cx + body.radius) + 1);
            int y0 = Math.max(0, (int) Math.floor(cy - body.radius) - 1);
            int y1 = Math.min(s - 1, (int) Math.ceil(cy + body.radius) + 1);
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    int covered = 0;
                    for (int q = 0; q < 4; q++) {
                        if (body.inside(x + 0.25 + 0.5 * (q & 1), y + 0.25 + 0.5 * (q >> 1), t)) {
                            covered++;
                        }
                    }
                    if (covered > 0) {
                        float c = covered / 4f;
                        float value = body.value(x + 0.5, y + 0.5, t, texture);
                        lum[y * s + x] = lum[y * s + x] * (1 - c) + value * c;
                    }
                }
            }
        }
    }

    /** The class of each pixel centre at time {@code t}: the last shape covering it, else background. */
    private static void label(Body[] bodies, double t, int s, int[] labels, int off) {
        Arrays.fill(labels, off, off + s * s, 0);
        for (Body body : bodies) {
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    if (body.inside(x + 0.5, y + 0.5, t)) {
                        labels[off + y * s + x] = body.cls;
                    }
                }
            }
        }
    }
}
