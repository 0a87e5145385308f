package org.snnc.runtime.autograd;

/**
 * Configuration of a 2-D batch normalisation as PyTorch's {@code nn.BatchNorm2d}.
 *
 * @param channels number of channels C of the {@code [n][C][h][w]} input
 * @param eps      added to the variance before the square root (PyTorch default 1e-5; BNTT 1e-4)
 * @param momentum weight of the new batch statistic in the running averages (PyTorch 0.1)
 * @param scale    learnable per-channel scale (PyTorch's {@code weight}, initialised to 1)
 * @param shift    learnable per-channel shift (PyTorch's {@code bias}, initialised to 0); BNTT
 *                 in the released code has a scale but no shift
 */
public record BatchNormSpec(int channels, float eps, float momentum, boolean scale, boolean shift) {

    public BatchNormSpec {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be positive, got " + channels);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("eps must be positive, got " + eps);
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1], got " + momentum);
        }
    }

    /** BNTT as in the released code: eps 1e-4, momentum 0.1, scale, no shift. */
    public static BatchNormSpec bntt(int channels) {
        return new BatchNormSpec(channels, 1e-4f, 0.1f, true, false);
    }
}
