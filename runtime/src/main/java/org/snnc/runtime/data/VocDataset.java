package org.snnc.runtime.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snnc.compiler.ir.Shape;
import org.snnc.runtime.model.ModelException;
import org.snnc.runtime.predict.Images;

/**
 * Pascal VOC 2012 segmentation in its release layout: {@code DIR/JPEGImages/<id>.jpg},
 * {@code DIR/SegmentationClass/<id>.png} (palette PNGs whose palette index is the class, 255 on
 * object borders) and {@code DIR/ImageSets/Segmentation/{train,val}.txt} (one id a line). Images
 * are resized to {@code size x size} bilinearly (half-pixel centres), labels by nearest
 * neighbour; 21 classes, 255 ignored.
 *
 * <p>Every listed file is checked to exist when the set is opened; a file that cannot be decoded
 * is reported when it is read. Options: {@code size} (64, the paper's), {@code train} and
 * {@code val} (the list names under {@code ImageSets/Segmentation}, e.g. {@code train_aug}),
 * {@code labels} (the label folder, e.g. {@code SegmentationClassAug}, whose grey PNGs are read
 * as values).
 */
public final class VocDataset implements Dataset {

    public static final int CLASSES = 21;

    private final Path dir;
    private final int size;
    private final String labelDir;
    private final String trainList;
    private final String valList;
    private final List<String> train;
    private final List<String> val;

    private VocDataset(Path dir, int size, String labelDir, String trainList, String valList, List<String> train,
                       List<String> val) {
        this.dir = dir;
        this.size = size;
        this.labelDir = labelDir;
        this.trainList = trainList;
        this.valList = valList;
        this.train = train;
        this.val = val;
    }

    /** Opens {@code dir}, reading both lists and checking that every listed file exists. */
    public static VocDataset open(Path dir, Map<String, String> options) {
        Options o = new Options("voc", options);
        int size = o.integer("size", 64, 1, 4096);
        String trainList = o.string("train", "train");
        String valList = o.string("val", "val");
        String labelDir = o.string("labels", "SegmentationClass");
        o.done();
        if (!Files.isDirectory(dir)) {
            throw new DataSpecException("voc: " + dir + " is not a directory; expected the VOC2012 folder holding"
                    + " JPEGImages/, SegmentationClass/ and ImageSets/Segmentation/");
        }
        for (String sub : List.of("JPEGImages", labelDir)) {
            if (!Files.isDirectory(dir.resolve(sub))) {
                throw new DataSpecException("voc: " + dir.resolve(sub) + " does not exist; expected the VOC2012 folder"
                        + " holding JPEGImages/, " + labelDir + "/ and ImageSets/Segmentation/");
            }
        }
        List<String> train = list(dir, trainList);
        List<String> val = list(dir, valList);
        VocDataset d = new VocDataset(dir, size, labelDir, trainList, valList, train, val);
        d.checkFiles(train, trainList);
        d.checkFiles(val, valList);
        return d;
    }

    private static List<String> list(Path dir, String name) {
        Path file = dir.resolve("ImageSets").resolve("Segmentation").resolve(name + ".txt");
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new DataSpecException("voc: the list " + file + " does not exist; expected one image id a line"
                    + " (as 2007_000032)");
        } catch (IOException e) {
            throw new DataSpecException("voc: cannot read " + file + ": " + e.getMessage());
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String id = lines.get(i).strip();
            if (id.isEmpty()) {
                continue;
            }
            if (id.contains(" ") || id.contains("/") || id.contains("\\")) {
                throw new DataSpecException("voc: " + file + ":" + (i + 1) + ": '" + id + "' is not an image id"
                        + " (one id a line, as 2007_000032)");
            }
            ids.add(id);
        }
        if (ids.isEmpty()) {
            throw new DataSpecException("voc: the list " + file + " names no images");
        }
        return List.copyOf(ids);
    }

    private void checkFiles(List<String> ids, String listName) {
        List<Path> missing = new ArrayList<>();
        for (String id : ids) {
            for (Path p : List.of(image(id), labels(id))) {
                if (!Files.isRegularFile(p)) {
                    missing.add(p);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new DataSpecException("voc: " + missing.size() + " file" + (missing.size() == 1 ? "" : "s")
                    + " named by ImageSets/Segmentation/" + listName + ".txt do" + (missing.size() == 1 ? "es" : "")
                    + " not exist, first " + missing.get(0));
        }
    }

    private Path image(String id) {
        return dir.resolve("JPEGImages").resolve(id + ".jpg");
    }

    private Path labels(String id) {
        return dir.resolve(labelDir).resolve(id + ".png");
    }

    @Override
    public String spec() {
        return "voc:" + dir + ",size=" + size + ",train=" + trainList + ",val=" + valList + ",labels=" + labelDir;
    }

    @Override
    public Shape imageShape() {
        return new Shape(3, size, size);
    }

    @Override
    public int classes() {
        return CLASSES;
    }

    @Override
    public int size(Split split) {
        return ids(split).size();
    }

    private List<String> ids(Split split) {
        return split == Split.TRAIN ? train : val;
    }

    @Override
    public void read(Split split, int index, float[] image, int imageOff, int[] labels, int labelOff) {
        String id = ids(split).get(index);
        float[] x;
        int[] y;
        try {
            x = Images.readImage(image(id), 3, size, size);
            y = Images.readLabels(labels(id), size, size);
        } catch (Images.ImageException e) {
            throw new ModelException("voc: " + e.getMessage());
        }
        for (int v : y) {
            if (v >= CLASSES && v != 255) {
                throw new ModelException("voc: " + labels(id) + " holds class " + v + "; VOC labels are 0.." + (CLASSES - 1)
                        + " and 255 (ignored)");
            }
        }
        System.arraycopy(x, 0, image, imageOff, x.length);
        System.arraycopy(y, 0, labels, labelOff, y.length);
    }
}
