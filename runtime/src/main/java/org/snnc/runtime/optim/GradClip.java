package org.snnc.runtime.optim;

import java.util.List;
import org.snnc.runtime.model.Tensor;

/** Gradient-norm clipping as PyTorch's {@code clip_grad_norm_}. */
public final class GradClip {

    private GradClip() {
    }

    /**
     * Scales every gradient by {@code maxNorm / (norm + 1e-6)} when the global L2 norm over all
     * of them exceeds {@code maxNorm}; returns the norm before clipping (summed in double).
     */
    public static double clipNorm(List<Tensor> params, double maxNorm) {
        double sq = 0;
        for (Tensor t : params) {
            for (float g : t.grad()) {
                sq += (double) g * g;
            }
        }
        double norm = Math.sqrt(sq);
        if (norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (Tensor t : params) {
                float[] g = t.grad();
                for (int i = 0; i < g.length; i++) {
                    g[i] *= scale;
                }
            }
        }
        return norm;
    }
}
