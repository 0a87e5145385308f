package org.snnc.runtime.kernel;

/**
 * Resize to a fixed output size, as PyTorch's {@code F.interpolate(x, size=(outH, outW), mode=...)}.
 *
 * @param alignCorners meaningful for {@link Mode#BILINEAR} only (PyTorch rejects it for
 *                     nearest); must be false for {@link Mode#NEAREST}
 */
public record UpsampleSpec(Mode mode, int outH, int outW, boolean alignCorners) {

    /** Interpolation mode. */
    public enum Mode {
        /** PyTorch {@code 'nearest'}: source index {@code min(floor(dst * in / out), in - 1)}. */
        NEAREST,
        /** PyTorch {@code 'bilinear'}, with or without {@code align_corners}. */
        BILINEAR
    }

    public UpsampleSpec {
        if (mode == null) {
            throw new IllegalArgumentException("upsample mode is required");
        }
        Checks.positive("outH", outH);
        Checks.positive("outW", outW);
        if (mode == Mode.NEAREST && alignCorners) {
            throw new IllegalArgumentException("align_corners applies to bilinear upsampling only, not nearest");
        }
    }

    public static UpsampleSpec nearest(int outH, int outW) {
        return new UpsampleSpec(Mode.NEAREST, outH, outW, false);
    }

    public static UpsampleSpec bilinear(int outH, int outW, boolean alignCorners) {
        return new UpsampleSpec(Mode.BILINEAR, outH, outW, alignCorners);
    }
}
