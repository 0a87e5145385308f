package org.snnc.runtime.optim;

import java.util.ArrayList;
import java.util.List;
import org.snnc.runtime.model.Tensor;

/**
 * Adam as PyTorch's {@code torch.optim.Adam} (L2 weight decay added to the gradient, not
 * decoupled), per element with {@code g = grad + wd * p}:
 * <pre>
 *   m = b1 m + (1 - b1) g          v = b2 v + (1 - b2) g²
 *   vmax = max(vmax, v)            (AMSGrad; v is used directly otherwise)
 *   p -= lr / (1 - b1^t) * m / (sqrt(vmax) / sqrt(1 - b2^t) + eps)
 * </pre>
 * The released Spiking-DeepLab code uses AMSGrad with weight decay 5e-4.
 */
public final class Adam implements Optimizer {

    /**
     * @param beta1       decay of the first moment (0.9)
     * @param beta2       decay of the second moment (0.999)
     * @param eps         added to the denominator (1e-8)
     * @param weightDecay L2 coefficient added to the gradient
     * @param amsgrad     use the running maximum of the second moment
     */
    public record Config(double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {

        public Config {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + " and " + beta2);
            }
            if (!(eps > 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("Adam eps must be positive and weight decay non-negative");
            }
        }

        /** The released code's: betas (0.9, 0.999), eps 1e-8, weight decay 5e-4, AMSGrad. */
        public static Config released() {
            return new Config(0.9, 0.999, 1e-8, 5e-4, true);
        }
    }

    private final Config config;
    private final List<Tensor> params;
    private final List<float[]> m = new ArrayList<>();
    private final List<float[]> v = new ArrayList<>();
    private final List<float[]> vmax = new ArrayList<>();
    private final List<Tensor> state = new ArrayList<>();
    private long steps;

    public Adam(List<Tensor> params, Config config) {
        this.config = config;
        this.params = List.copyOf(params);
        for (Tensor p : this.params) {
            m.add(slot("exp_avg", p));
            v.add(slot("exp_avg_sq", p));
        }
        if (config.amsgrad()) {
            for (Tensor p : this.params) {
                vmax.add(slot("max_exp_avg_sq", p));
            }
        }
    }

    private float[] slot(String name, Tensor p) {
        float[] a = new float[p.data().length];
        state.add(new Tensor("optimizer." + name + "." + p.name(), p.shape(), a, null));
        return a;
    }

    public Config config() {
        return config;
    }

    @Override
    public void step(double lr) {
        steps++;
        float b1 = (float) config.beta1();
        float b2 = (float) config.beta2();
        // 1 - beta in double first: (1 - (float) 0.999) is 1.3e-5 off 0.001 in relative terms.
        float c1 = (float) (1 - config.beta1());
        float c2 = (float) (1 - config.beta2());
        double bc1 = 1 - Math.pow(config.beta1(), steps);
        double bc2 = 1 - Math.pow(config.beta2(), steps);
        float stepSize = (float) (lr / bc1);
        float invSqrtBc2 = (float) (1 / Math.sqrt(bc2));
        float eps = (float) config.eps();
        float wd = (float) config.weightDecay();
        for (int k = 0; k < params.size(); k++) {
            float[] p = params.get(k).data();
            float[] g = params.get(k).grad();
            float[] mk = m.get(k);
            float[] vk = v.get(k);
            float[] second = config.amsgrad() ? vmax.get(k) : vk;
            for (int i = 0; i < p.length; i++) {
                float gi = g[i] + wd * p[i];
                mk[i] = b1 * mk[i] + c1 * gi;
                vk[i] = b2 * vk[i] + c2 * gi * gi;
                if (config.amsgrad()) {
                    second[i] = Math.max(second[i], vk[i]);
                }
                p[i] -= stepSize * mk[i] / ((float) Math.sqrt(second[i]) * invSqrtBc2 + eps);
            }
        }
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void setSteps(long steps) {
        this.steps = steps;
    }

    @Override
    public List<Tensor> state() {
        return state;
    }

    @Override
    public String kind() {
        return "adam";
    }
}
