package org.snnc.runtime.predict;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.snnc.compiler.ir.Shape;
import org.snnc.runtime.io.Safetensors;
import org.snnc.runtime.kernel.Parallel;
import org.snnc.runtime.model.Network;
import org.snnc.runtime.model.Tensor;

/** One image through a trained network (evaluation mode), and the files {@code snnc predict} writes for it. */
public final class Predictor {

    /** Panels of a triplet are enlarged to at least this many pixels high, so small maps stay visible. */
    private static final int TRIPLET_MIN_HEIGHT = 128;

    /**
     * @param logits  the network's output {@code [channels][height][width]}
     * @param classes the argmax over channels per pixel, {@code [height][width]}
     */
    public record Prediction(float[] logits, int[] classes, int channels, int height, int width) {
    }

    /** The files written for one image; {@code triplet} null without a label map. */
    public record Written(Path classMap, Path logits, Path triplet) {
    }

    private Predictor() {
    }

    /**
     * @param image       {@code [C][H][W]} of the network's input shape, values in [0, 1]
     * @param encodingKey seed of the input's spike encoding for this image
     */
    public static Prediction predict(Network net, float[] image, long encodingKey, Parallel par) {
        Shape out = net.outputShape();
        float[] logits = net.forward(image, 1, encodingKey, false, par).clone();
        return new Prediction(logits, argmax(logits, out.channels(), out.height(), out.width()), out.channels(),
                out.height(), out.width());
    }

    /** Per pixel, the first channel of largest value (ties to the lower class, as torch.argmax). */
    public static int[] argmax(float[] logits, int c, int h, int w) {
        int n = h * w;
        int[] best = new int[n];
        float[] max = new float[n];
        System.arraycopy(logits, 0, max, 0, n);
        for (int k = 1; k < c; k++) {
            for (int i = 0; i < n; i++) {
                float v = logits[k * n + i];
                if (v > max[i]) {
                    max[i] = v;
                    best[i] = k;
                }
            }
        }
        return best;
    }

    /**
     * Writes {@code dir/<name>.png} (the class map, indexed in the VOC palette),
     * {@code dir/<name>.logits.safetensors} (tensor {@code logits}, F32 {@code [C,H,W]}) and, when
     * {@code truth} is given, {@code dir/<name>.triplet.png}: image | prediction | truth.
     *
     * @param image    {@code [channels][imageH][imageW]}; resized to the output's size for the triplet
     * @param truth    labels {@code [H][W]} at the output's size, or null
     * @param metadata stored in the logits file (network, source hash, image)
     */
    public static Written write(Path dir, String name, float[] image, int channels, int imageH, int imageW,
                                Prediction p, int[] truth, Map<String, String> metadata) throws IOException {
        Path map = dir.resolve(name + ".png");
        Images.writePng(Images.indexed(p.classes(), p.height(), p.width()), map);
        Path logits = dir.resolve(name + ".logits.safetensors");
        Safetensors.write(logits, List.of(new Tensor("logits", new int[] {p.channels(), p.height(), p.width()},
                p.logits(), null)), metadata);
        Path triplet = null;
        if (truth != null) {
            float[] shown = imageH == p.height() && imageW == p.width() ? image
                    : Images.resizeBilinear(image, channels, imageH, imageW, p.height(), p.width());
            int scale = Math.max(1, TRIPLET_MIN_HEIGHT / p.height());
            triplet = dir.resolve(name + ".triplet.png");
            Images.writePng(Images.triplet(shown, channels, p.classes(), truth, p.height(), p.width(), scale), triplet);
        }
        return new Written(map, logits, triplet);
    }
}
