package org.snnc.runtime.train;

import org.snnc.runtime.model.Init;

/**
 * A training run's recipe.
 *
 * @param epochs       passes over the training split (used when {@code steps} is 0)
 * @param steps        optimiser steps in total; 0 to run {@code epochs} whole epochs
 * @param batch        samples per step; a last smaller batch of an epoch is dropped
 * @param lr           base learning rate
 * @param optimizer    {@code adam} (AMSGrad, weight decay 5e-4, as the released code) or
 *                     {@code sgd} (momentum 0.9, weight decay 5e-4)
 * @param milestones   fractions of the steps where the rate is multiplied by 0.1
 * @param clipNorm     global gradient-norm limit; 0 for none
 * @param seed         seed of initial weights, data order, encodings
 * @param threads      kernel threads
 * @param init         weight initialisation
 * @param logEvery     steps between metrics lines
 * @param evalEvery    steps between validations; 0 to validate at the end of each epoch
 * @param evalSamples  validation samples used by periodic validations (0: the whole split);
 *                     the final validation always uses the whole split
 */
public record TrainConfig(int epochs, long steps, int batch, double lr, String optimizer, double[] milestones,
                          double clipNorm, long seed, int threads, Init init, int logEvery, int evalEvery,
                          int evalSamples) {

    public TrainConfig {
        if (steps < 0 || (steps == 0 && epochs < 1)) {
            throw new IllegalArgumentException("need a positive number of epochs or steps");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be positive, got " + batch);
        }
        if (!(lr > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + lr);
        }
        if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
            throw new IllegalArgumentException("optimizer must be adam or sgd, got " + optimizer);
        }
        if (threads < 1 || logEvery < 1 || evalEvery < 0 || evalSamples < 0 || !(clipNorm >= 0)) {
            throw new IllegalArgumentException("threads and log interval must be positive, eval interval, eval samples"
                    + " and clip norm non-negative");
        }
        milestones = milestones.clone();
    }
}
