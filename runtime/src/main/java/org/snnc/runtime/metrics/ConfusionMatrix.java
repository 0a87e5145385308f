package org.snnc.runtime.metrics;

/**
 * Counts of (true class, predicted class) over pixels, label 255 ignored, and the segmentation
 * scores from them as the VOC benchmark computes them: per class
 * {@code IoU = TP / (TP + FP + FN)}; a class absent from both the truth and the predictions has
 * no IoU and is left out of the mean.
 */
public final class ConfusionMatrix {

    public static final int IGNORE = 255;

    private final int classes;
    private final long[] counts;

    public ConfusionMatrix(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be positive, got " + classes);
        }
        this.classes = classes;
        counts = new long[classes * classes];
    }

    public int classes() {
        return classes;
    }

    /** Pixels of class {@code truth} predicted as {@code predicted}. */
    public long count(int truth, int predicted) {
        return counts[truth * classes + predicted];
    }

    public void add(int truth, int predicted) {
        if (truth == IGNORE) {
            return;
        }
        if (truth < 0 || truth >= classes || predicted < 0 || predicted >= classes) {
            throw new IllegalArgumentException("class pair (" + truth + ", " + predicted + ") outside [0, " + classes + ")");
        }
        counts[truth * classes + predicted]++;
    }

    /**
     * Adds a batch: the prediction of each pixel is the arg-max over classes of
     * {@code scores [n][classes][h][w]} (the first on ties); {@code labels [n][h][w]}.
     */
    public void addArgmax(float[] scores, int[] labels, int n, int h, int w) {
        int grid = h * w;
        if (scores.length != (long) n * classes * grid || labels.length != (long) n * grid) {
            throw new IllegalArgumentException("scores of " + scores.length + " and labels of " + labels.length
                    + " values do not match " + n + " x " + classes + " x " + h + " x " + w);
        }
        for (int s = 0; s < n; s++) {
            int base = s * classes * grid;
            for (int q = 0; q < grid; q++) {
                int best = 0;
                float bestScore = scores[base + q];
                for (int k = 1; k < classes; k++) {
                    float v = scores[base + k * grid + q];
                    if (v > bestScore) {
                        bestScore = v;
                        best = k;
                    }
                }
                add(labels[s * grid + q], best);
            }
        }
    }

    /** IoU per class; NaN for a class that is neither in the truth nor predicted. */
    public double[] perClassIou() {
        double[] iou = new double[classes];
        for (int k = 0; k < classes; k++) {
            long tp = counts[k * classes + k];
            long fp = 0;
            long fn = 0;
            for (int j = 0; j < classes; j++) {
                if (j != k) {
                    fp += counts[j * classes + k];
                    fn += counts[k * classes + j];
                }
            }
            long union = tp + fp + fn;
            iou[k] = union == 0 ? Double.NaN : (double) tp / union;
        }
        return iou;
    }

    /** Mean IoU over the classes that have one; NaN if no pixel was counted. */
    public double meanIou() {
        double sum = 0;
        int present = 0;
        for (double v : perClassIou()) {
            if (!Double.isNaN(v)) {
                sum += v;
                present++;
            }
        }
        return present == 0 ? Double.NaN : sum / present;
    }

    /** Correct pixels over counted pixels; NaN if none was counted. */
    public double pixelAccuracy() {
        long correct = 0;
        long total = 0;
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < classes; j++) {
                total += counts[k * classes + j];
            }
            correct += counts[k * classes + k];
        }
        return total == 0 ? Double.NaN : (double) correct / total;
    }
}
