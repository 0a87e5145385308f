package org.snnc.compiler.ir;

/**
 * What a node of the Spiking IR computes, with every attribute resolved to a number. Shapes are
 * on the node; an op carries only what it needs beyond its inputs' shapes.
 */
public sealed interface Op {

    /** The op's name in the language and in the IR's text and JSON forms. */
    String keyword();

    /** A network input: the encoded data at each step. */
    record Input(Encoding encoding) implements Op {
        public String keyword() {
            return "input";
        }
    }

    /** 2-D convolution; weights {@code [C_out][C_in][kH][kW]}. */
    record Conv(int outChannels, Pair kernel, Pair stride, Pair padding, Pair dilation, boolean bias) implements Op {
        public String keyword() {
            return "conv";
        }
    }

    /** Transposed 2-D convolution; weights {@code [C_in][C_out][kH][kW]} as PyTorch. */
    record ConvTranspose(int outChannels, Pair kernel, Pair stride, Pair padding, Pair outputPadding, Pair dilation,
            boolean bias) implements Op {
        public String keyword() {
            return "tconv";
        }
    }

    record AvgPool(Pair kernel, Pair stride, Pair padding, boolean countIncludePad) implements Op {
        public String keyword() {
            return "avgpool";
        }
    }

    /** Fully connected; weights {@code [out][in]}; needs a flat input. */
    record Dense(int outFeatures, boolean bias) implements Op {
        public String keyword() {
            return "dense";
        }
    }

    record Flatten() implements Op {
        public String keyword() {
            return "flatten";
        }
    }

    /** Element-wise sum of two or more inputs of one shape (skip connections). */
    record Add() implements Op {
        public String keyword() {
            return "add";
        }
    }

    record Upsample(int height, int width, Mode mode, boolean alignCorners) implements Op {
        public enum Mode {
            BILINEAR("bilinear"),
            NEAREST("nearest");

            private final String keyword;

            Mode(String keyword) {
                this.keyword = keyword;
            }

            public String keyword() {
                return keyword;
            }
        }

        public String keyword() {
            return "upsample";
        }
    }

    /** Batch-norm through time: one set of statistics and scales per time step. */
    record Bntt(int timesteps, double eps, double momentum, boolean shift) implements Op {
        public String keyword() {
            return "bntt";
        }
    }

    record BatchNorm(double eps, double momentum, boolean affine) implements Op {
        public String keyword() {
            return "batchnorm";
        }
    }

    /** A population of spiking neurons, one per input element; {@code name} is its definition's. */
    record Spiking(String name, NeuronModel model) implements Op {
        public String keyword() {
            return name;
        }
    }

    /** Non-spiking integrator readout: the mean of its input over all time steps. */
    record Accumulate() implements Op {
        public String keyword() {
            return "accumulate";
        }
    }

    /** Each output draws {@code fanIn} distinct inputs at random, seeded; weights {@code [out][fanIn]}. */
    record SparseProjection(int outFeatures, int fanIn, long seed) implements Op {
        public String keyword() {
            return "sparse";
        }
    }
}
