package org.snnc.runtime.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.snnc.compiler.ir.Shape;
import org.snnc.runtime.io.Npy;
import org.snnc.runtime.model.ModelException;
import org.snnc.runtime.predict.Images;

/**
 * DDD17 as Ev-SegNet released it (Alonso &amp; Murillo, CVPRW 2019): per split
 * ({@code train}, and {@code test} as the validation split) a folder of {@code events/<name>.npy}
 * and {@code labels/<name>.png}, either {@code DIR/train/events} or {@code DIR/events/train}.
 * Each npy is one 50 ms window of a 346x200 DAVIS, {@code [200][346][6]} floats whose channels 0
 * and 1 are the ON and OFF event counts (2 to 5: timestamp statistics, unused); each label is a
 * grey PNG of 6 classes (flat, construction+sky, object, nature, human, vehicle), 255 and any
 * value above 5 ignored. Names are {@code <recording>_<window number>}.
 *
 * <p>Two modes, option {@code mode}:
 * <ul>
 *   <li>{@code sequence} (default): an event set. A sample is {@code timesteps} consecutive
 *       windows of one recording (window numbers {@code k-timesteps+1 .. k}), frame {@code t}
 *       being window {@code k-timesteps+1+t}'s ON/OFF counts; its labels are window {@code k}'s.
 *       There is one sample per window that has {@code timesteps - 1} predecessors.
 *   <li>{@code rate}: the released SNN code's recipe. A sample is one window's two count
 *       channels, each min-max normalised to [0, 1] over the frame, a static image that an
 *       {@code events} input Poisson-samples at every step.
 * </ul>
 * Counts are resized to {@code size x size} by summing blocks of sensor pixels (as if the sensor
 * had bigger pixels; replicated when enlarging; {@link EventFrames#cover}), labels by nearest
 * neighbour.
 */
public final class Ddd17Dataset implements Dataset {

    public static final int CLASSES = 6;

    /** One window of one split: its event and label files and its place in its recording. */
    private record Window(Path events, Path labels, String recording, long number) {
    }

    private final Path dir;
    private final int size;
    private final boolean sequence;
    private final int timesteps;
    private final List<Window> trainWindows;
    private final List<Window> valWindows;
    // Indices into the windows of the samples' last windows.
    private final int[] trainEnds;
    private final int[] valEnds;

    private Ddd17Dataset(Path dir, int size, boolean sequence, int timesteps, List<Window> train, List<Window> val) {
        this.dir = dir;
        this.size = size;
        this.sequence = sequence;
        this.timesteps = timesteps;
        this.trainWindows = train;
        this.valWindows = val;
        this.trainEnds = ends(train);
        this.valEnds = ends(val);
    }

    public static Ddd17Dataset open(Path dir, Map<String, String> options) {
        Options o = new Options("ddd17", options);
        int size = o.integer("size", 64, 1, 4096);
        boolean sequence = o.choice("mode", "sequence", List.of("sequence", "rate")).equals("sequence");
        int timesteps = o.integer("timesteps", 20, 1, 10_000);
        o.done();
        if (!Files.isDirectory(dir)) {
            throw new DataSpecException("ddd17: " + dir + " is not a directory; expected Ev-SegNet's DDD17 folder"
                    + " with train/ and test/, each holding events/*.npy and labels/*.png");
        }
        Ddd17Dataset d = new Ddd17Dataset(dir, size, sequence, sequence ? timesteps : 0, windows(dir, "train"),
                windows(dir, "test"));
        for (Split s : Split.values()) {
            if (d.size(s) == 0) {
                throw new DataSpecException("ddd17: the " + (s == Split.TRAIN ? "train" : "test") + " split of " + dir
                        + " has no run of " + timesteps + " consecutive windows of one recording; lower timesteps"
                        + " or use mode=rate");
            }
        }
        return d;
    }

    private static List<Window> windows(Path dir, String split) {
        Path events = dir.resolve(split).resolve("events");
        Path labels = dir.resolve(split).resolve("labels");
        if (!Files.isDirectory(events)) {
            events = dir.resolve("events").resolve(split);
            labels = dir.resolve("labels").resolve(split);
        }
        if (!Files.isDirectory(events)) {
            throw new DataSpecException("ddd17: neither " + dir.resolve(split).resolve("events") + " nor " + events
                    + " exists; expected Ev-SegNet's layout DIR/{train,test}/{events,labels}");
        }
        if (!Files.isDirectory(labels)) {
            throw new DataSpecException("ddd17: " + labels + " does not exist; every events/<name>.npy needs a"
                    + " labels/<name>.png");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(events)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".npy")).toList();
        } catch (IOException e) {
            throw new DataSpecException("ddd17: cannot list " + events + ": " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw new DataSpecException("ddd17: " + events + " holds no .npy files");
        }
        List<Window> windows = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            name = name.substring(0, name.length() - ".npy".length());
            Path label = labels.resolve(name + ".png");
            if (!Files.isRegularFile(label)) {
                throw new DataSpecException("ddd17: " + f + " has no labels " + label);
            }
            int cut = name.lastIndexOf('_');
            long number = cut < 0 ? -1 : windowNumber(name.substring(cut + 1));
            windows.add(number < 0 ? new Window(f, label, name, 0) : new Window(f, label, name.substring(0, cut), number));
        }
        windows.sort(Comparator.comparing(Window::recording).thenComparingLong(Window::number));
        return List.copyOf(windows);
    }

    /** The number after a name's last '_' ({@code 100}, or {@code 100.0} as Python 3 writes it); -1 if none. */
    private static long windowNumber(String text) {
        String t = text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
        try {
            long n = Long.parseLong(t);
            return n >= 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private int[] ends(List<Window> windows) {
        if (!sequence) {
            return java.util.stream.IntStream.range(0, windows.size()).toArray();
        }
        List<Integer> ends = new ArrayList<>();
        int run = 0;
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            boolean follows = i > 0 && windows.get(i - 1).recording.equals(w.recording)
                    && windows.get(i - 1).number == w.number - 1;
            run = follows ? run + 1 : 1;
            if (run >= timesteps) {
                ends.add(i);
            }
        }
        return ends.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String spec() {
        return "ddd17:" + dir + ",size=" + size + ",mode=" + (sequence ? "sequence,timesteps=" + timesteps : "rate");
    }

    @Override
    public Shape imageShape() {
        return new Shape(2, size, size);
    }

    @Override
    public int classes() {
        return CLASSES;
    }

    @Override
    public int size(Split split) {
        return (split == Split.TRAIN ? trainEnds : valEnds).length;
    }

    @Override
    public int timesteps() {
        return timesteps;
    }

    private Window window(Split split, int index, int back) {
        int end = (split == Split.TRAIN ? trainEnds : valEnds)[index];
        return (split == Split.TRAIN ? trainWindows : valWindows).get(end - back);
    }

    @Override
    public void readFrames(Split split, int index, float[] frames, int framesOff, int[] labels, int labelOff) {
        if (!sequence) {
            throw new UnsupportedOperationException("ddd17 mode=rate gives static images");
        }
        int frame = 2 * size * size;
        for (int t = 0; t < timesteps; t++) {
            counts(window(split, index, timesteps - 1 - t).events, frames, framesOff + t * frame);
        }
        labels(window(split, index, 0).labels, labels, labelOff);
    }

    /**
     * The sample as one image: in {@code rate} mode its window's normalised counts; in
     * {@code sequence} mode, per polarity, the fraction of its windows in which each pixel had
     * an event.
     */
    @Override
    public void read(Split split, int index, float[] image, int imageOff, int[] labels, int labelOff) {
        int plane = size * size;
        if (!sequence) {
            Window w = window(split, index, 0);
            counts(w.events, image, imageOff);
            for (int c = 0; c < 2; c++) {
                minMax(image, imageOff + c * plane, plane);
            }
            labels(w.labels, labels, labelOff);
            return;
        }
        float[] frames = new float[timesteps * 2 * plane];
        readFrames(split, index, frames, 0, labels, labelOff);
        EventFrames.occupancy(frames, timesteps, 2 * plane, image, imageOff);
    }

    private static void minMax(float[] x, int off, int len) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int i = off; i < off + len; i++) {
            lo = Math.min(lo, x[i]);
            hi = Math.max(hi, x[i]);
        }
        // A constant frame (no events) carries nothing: all zero.
        float scale = hi > lo ? 1f / (hi - lo) : 0f;
        for (int i = off; i < off + len; i++) {
            x[i] = (x[i] - lo) * scale;
        }
    }

    /** A window's ON/OFF counts, {@code [2][size][size]} at {@code out[off ..)}. */
    private void counts(Path file, float[] out, int off) {
        Npy.Array a;
        try {
            a = Npy.read(file);
        } catch (IOException e) {
            throw new ModelException("ddd17: " + e.getMessage());
        }
        int[] s = a.shape();
        if (s.length != 3 || s[2] < 2) {
            throw new ModelException("ddd17: " + file + " has shape " + java.util.Arrays.toString(s) + "; expected [height][width][channels] with at least the 2 count"
                    + " channels (Ev-SegNet's are [200][346][6])");
        }
        for (float v : a.data()) {
            if (!Float.isFinite(v)) {
                throw new ModelException("ddd17: " + file + " holds " + v + "; event frames must be finite");
            }
        }
        EventFrames.sumResize(a.data(), s[0], s[1], s[2], 0, 2, size, size, out, off);
    }

    private void labels(Path file, int[] out, int off) {
        int[] y;
        try {
            y = Images.readLabels(file, size, size);
        } catch (Images.ImageException e) {
            throw new ModelException("ddd17: " + e.getMessage());
        }
        for (int i = 0; i < y.length; i++) {
            out[off + i] = y[i] < CLASSES ? y[i] : 255;
        }
    }
}
