package org.snnc.runtime.optim;

import java.util.ArrayList;
import java.util.List;
import org.snnc.runtime.model.Tensor;

/**
 * SGD with momentum as PyTorch's {@code torch.optim.SGD} (no dampening, not Nesterov):
 * {@code g = grad + wd * p}; {@code buf = g} at the first step, then {@code buf = mu * buf + g};
 * {@code p -= lr * buf}. Momentum 0 is plain SGD.
 */
public final class Sgd implements Optimizer {

    public record Config(double momentum, double weightDecay) {
        public Config {
            if (!(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("SGD momentum must be in [0, 1) and weight decay non-negative, got "
                        + momentum + " and " + weightDecay);
            }
        }
    }

    private final Config config;
    private final List<Tensor> params;
    private final List<float[]> buffers = new ArrayList<>();
    private final List<Tensor> state = new ArrayList<>();
    private long steps;

    public Sgd(List<Tensor> params, Config config) {
        this.config = config;
        this.params = List.copyOf(params);
        for (Tensor p : this.params) {
            float[] b = new float[p.data().length];
            buffers.add(b);
            state.add(new Tensor("optimizer.momentum_buffer." + p.name(), p.shape(), b, null));
        }
    }

    @Override
    public void step(double lr) {
        float mu = (float) config.momentum();
        float wd = (float) config.weightDecay();
        float rate = (float) lr;
        boolean first = steps == 0;
        for (int k = 0; k < params.size(); k++) {
            float[] p = params.get(k).data();
            float[] g = params.get(k).grad();
            float[] buf = buffers.get(k);
            for (int i = 0; i < p.length; i++) {
                float gi = g[i] + wd * p[i];
                buf[i] = first ? gi : mu * buf[i] + gi;
                p[i] -= rate * buf[i];
            }
        }
        steps++;
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
        return "sgd";
    }
}
