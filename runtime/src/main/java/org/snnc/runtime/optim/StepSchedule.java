package org.snnc.runtime.optim;

import java.util.Arrays;

/**
 * Step learning-rate decay: the base rate times {@code factor} for each milestone passed, the
 * milestones being fractions of the total steps (the paper: x0.1 at 50%; the released code:
 * x0.1 at 50% and 80%). Step {@code s} (0-based) has passed milestone {@code f} when
 * {@code s >= floor(f * total)}.
 */
public record StepSchedule(double baseLr, double[] fractions, double factor, long totalSteps) {

    public StepSchedule {
        if (!(baseLr > 0) || Double.isInfinite(baseLr)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + baseLr);
        }
        fractions = fractions.clone();
        Arrays.sort(fractions);
        for (double f : fractions) {
            if (!(f > 0 && f < 1)) {
                throw new IllegalArgumentException("learning-rate milestones are fractions in (0, 1), got " + f);
            }
        }
        if (totalSteps < 1) {
            throw new IllegalArgumentException("total steps must be positive, got " + totalSteps);
        }
    }

    /** x0.1 at half of the steps. */
    public static StepSchedule paper(double baseLr, long totalSteps) {
        return new StepSchedule(baseLr, new double[] {0.5}, 0.1, totalSteps);
    }

    /** The rate for step {@code step} (0-based). */
    public double lr(long step) {
        double lr = baseLr;
        for (double f : fractions) {
            if (step >= (long) Math.floor(f * totalSteps)) {
                lr *= factor;
            }
        }
        return lr;
    }
}
