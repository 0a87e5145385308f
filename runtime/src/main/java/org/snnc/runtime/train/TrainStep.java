package org.snnc.runtime.train;

import org.snnc.runtime.kernel.Parallel;
import org.snnc.runtime.model.Network;
import org.snnc.runtime.model.Seeds;
import org.snnc.runtime.optim.GradClip;
import org.snnc.runtime.optim.Optimizer;

/**
 * One full optimiser step, the unit both {@link Trainer} and {@code snnc bench train} run, so the
 * benchmark times exactly the code path of training: zero the gradients, encode and run all time
 * steps forward, BPTT backward with the loss, optionally clip the global gradient norm, update.
 */
public final class TrainStep {

    private TrainStep() {
    }

    /**
     * @param images   {@code [n][C][H][W]} input values
     * @param labels   {@code [n][H][W]} class indices (255 ignored), or {@code [n]} for a flat output
     * @param seed     the run's seed; with {@code step} it keys the input encoding
     * @param clipNorm global gradient-norm limit, 0 for none
     * @return the loss of the step
     */
    public static double run(Network net, Optimizer optimizer, float[] images, int[] labels, int n, long seed,
                             long step, double lr, double clipNorm, Parallel par) {
        net.zeroGrad();
        net.forward(images, n, Seeds.mix(seed, step), true, par);
        double loss = net.backward(labels, par);
        if (clipNorm > 0) {
            GradClip.clipNorm(net.parameters(), clipNorm);
        }
        optimizer.step(lr);
        return loss;
    }
}
