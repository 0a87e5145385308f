package org.snnc.compiler.lower;

import java.util.ArrayList;
import java.util.List;
import org.snnc.compiler.ir.NeuronModel;
import org.snnc.compiler.ir.Node;
import org.snnc.compiler.ir.Op;
import org.snnc.compiler.program.NeuronParams;
import org.snnc.compiler.program.Program;
import org.snnc.compiler.program.ProgramBuildException;
import org.snnc.compiler.target.LeakForm;
import org.snnc.compiler.target.NumberFormat;
import org.snnc.compiler.target.Overflow;
import org.snnc.compiler.target.ResetMode;
import org.snnc.compiler.target.Target;

/**
 * The {@code quantize} pass: one population's real weights, threshold and leak become the target's
 * integers. The one implementation: {@code ProgramBuilder} calls it for every population.
 *
 * <ul>
 *   <li>Weights: one scale per population (its composed synaptic inputs, after {@code fold}); the
 *       largest |w| takes the full signed mantissa of {@code numbers.weight_bits}, one shared
 *       non-negative exponent. A mantissa is {@code round(w * scale)} clipped to
 *       {@code ±(2^(bits-1) - 1)}.</li>
 *   <li>Threshold: {@code θ * scale * 2^(exp + synaptic_shift - threshold_shift)} rounded; if it
 *       exceeds {@code threshold_bits} the scale is lowered, and while it is under
 *       {@value #MIN_THRESHOLD_UNITS} units the exponent is raised (when the target has one) so
 *       the threshold is not coarse.</li>
 *   <li>Leak: multiplicative {@code λ -> decay_v = round(2^decay_bits * (1 - λ))}, effective
 *       {@code 1 - decay_v / 2^decay_bits} (Loihi, 12 bits: λ 0.99 -> 41, effective 0.98999);
 *       linear: the loss of λ at the firing level, subtracted per step; none: dropped, with a note.</li>
 * </ul>
 *
 * Per population the {@link Tally} counts clipped and zero mantissas and the largest input one
 * step can bring a neuron (all its positive synapses at once); the {@link LayerReport} warns when
 * the population can no longer fire.
 */
public final class Quantize {

    /** Thresholds below this many units are too coarse; the exponent is raised to refine them. */
    public static final int MIN_THRESHOLD_UNITS = 64;

    /** One scale per population, or one per output channel. */
    public enum Scaling {
        LAYER, CHANNEL;

        public String keyword() {
            return this == LAYER ? "layer" : "channel";
        }
    }

    /**
     * How a population's numbers were chosen, and what was approximated on the way (one line each).
     *
     * @param channels per-channel scales, or null for one scale ({@code quant.weightScale()})
     */
    public record Plan(NeuronParams params, Program.Quantization quant, List<String> notes, Program.ChannelScales channels) {

        public Plan(NeuronParams params, Program.Quantization quant, List<String> notes) {
            this(params, quant, notes, null);
        }

        /** Largest mantissa magnitude. */
        public long mantissaMax() {
            return (1L << (quant.weightBits() - 1)) - 1;
        }

        /** Mantissa units per real unit of weight into channel {@code c}. */
        public double scale(int c) {
            return channels == null ? quant.weightScale() : channels.scale()[c];
        }

        /** Voltage units per real unit of input into channel {@code c}. */
        public double voltageScale(int c) {
            return quant.voltageScale(params) / quant.weightScale() * scale(c);
        }

        /** The firing level of channel {@code c}'s neurons. */
        public long firingLevel(int c) {
            return channels == null ? params.firingLevel() : (long) channels.threshold()[c] << params.thresholdShift();
        }
    }

    /**
     * Chooses a population's integers with one weight scale per output channel: the population's
     * plan ({@link #plan}) fixes the shared exponent from its largest weight; then each channel's
     * largest weight takes the full mantissa at that exponent, lowered where the channel's
     * threshold would not fit its bits. A channel's threshold and linear leak follow its scale.
     * The population's own scale (in {@code quant}) is the smallest of them.
     *
     * @param channelMaxAbs the largest |composed weight| into each output channel
     */
    public static Plan planChannels(Target target, Node node, boolean integrator, double[] channelMaxAbs) {
        double maxAbs = 0;
        for (double m : channelMaxAbs) maxAbs = Math.max(maxAbs, m);
        Plan layer = plan(target, node, integrator, maxAbs);
        NeuronParams p = layer.params();
        Program.Quantization q = layer.quant();
        NumberFormat f = target.numbers();
        long thresholdMax = Math.min((1L << f.thresholdBits().value()) - 1, Integer.MAX_VALUE);
        long voltageMax = (1L << (f.voltageBits().value() - 1)) - 1;
        double unitsPerScale = q.threshold() * Math.pow(2, q.weightExponent() + p.synapticShift() - p.thresholdShift());
        int channels = channelMaxAbs.length;
        double[] scale = new double[channels];
        int[] threshold = new int[channels];
        int[] linear = new int[channels];
        for (int c = 0; c < channels; c++) {
            double s = channelMaxAbs[c] > 0 ? layer.mantissaMax() / channelMaxAbs[c] : q.weightScale();
            // Never coarser than the population's scale; never a threshold beyond its bits or the voltage.
            s = Math.max(s, q.weightScale());
            if (!integrator) {
                double cap = Math.min(thresholdMax, (double) (voltageMax >> p.thresholdShift()));
                if (s * unitsPerScale > cap) s = Math.max(q.weightScale(), cap / unitsPerScale);
                threshold[c] = (int) Math.max(1, Math.min(cap, Math.round(s * unitsPerScale)));
                if (p.leak() == LeakForm.LINEAR && q.leak() < 1.0) {
                    linear[c] = (int) Math.round((1 - q.leak()) * ((long) threshold[c] << p.thresholdShift()));
                }
            }
            scale[c] = s;
        }
        return new Plan(p, q, layer.notes(), new Program.ChannelScales(scale, threshold, linear));
    }

    private Quantize() {
    }

    /**
     * Chooses a population's integers.
     *
     * @param node       the spiking or accumulate node
     * @param integrator true for an {@code accumulate} readout (never fires)
     * @param maxAbs     the largest |composed weight| into the population
     * @throws ProgramBuildException when the target's numbers cannot hold the population
     */
    public static Plan plan(Target target, Node node, boolean integrator, double maxAbs) {
        List<String> notes = new ArrayList<>();
        NumberFormat f = target.numbers();
        String name = node.name();
        int weightBits = f.weightBits().value();
        long mantissaMax = (1L << (weightBits - 1)) - 1;
        // Negative exponents would make integer weights fractional; integer weights stay whole,
        // so only the target's non-negative exponents are used.
        int expMin = Math.max(0, f.weightExponentMin().value());
        int expMax = f.weightExponentMax().value();
        if (expMax < expMin) {
            throw new ProgramBuildException("layer '" + name + "': target " + target.name() + " offers only negative weight exponents ("
                    + f.weightExponentMin().value() + ".." + expMax + "); this builder keeps integer weights whole and needs exponent 0 or more");
        }
        int synShift = f.synapticInputShift().value();
        int thrShift = f.thresholdShift().value();
        // The mantissa is stored in an i32.
        long thresholdMax = Math.min((1L << f.thresholdBits().value()) - 1, Integer.MAX_VALUE);

        double theta;
        double leak;
        ResetMode reset;
        if (node.op() instanceof Op.Spiking s) {
            NeuronModel m = s.model();
            theta = m.threshold();
            leak = m.leak();
            reset = m.reset() == NeuronModel.Reset.ZERO ? ResetMode.ZERO : ResetMode.SUBTRACT;
            if (!target.neuron().resetModes().value().contains(reset)) {
                ResetMode fallback = target.neuron().defaultReset().value();
                notes.add(name + ": reset " + m.reset().keyword() + " is not offered by " + target.name() + "; using "
                        + fallback.name().toLowerCase());
                reset = fallback;
            }
        } else {
            theta = 1.0;   // scale reference only: an integrator never fires
            leak = 1.0;    // DESIGN.md §6: the readout integrates without leak
            reset = target.neuron().defaultReset().value();
        }

        // Scale: the largest weight takes the full mantissa; the threshold must fit its bits.
        double scale = maxAbs > 0 ? mantissaMax / maxAbs : 1.0;
        int exp = expMin;
        double units = theta * scale * Math.pow(2, exp + synShift - thrShift);
        if (!integrator && units > thresholdMax) {
            scale *= thresholdMax / units;
            notes.add(String.format("%s: weight scale lowered to %.4g so the threshold fits %d bits", name, scale,
                    f.thresholdBits().value()));
            units = thresholdMax;
        }
        while (!integrator && units < MIN_THRESHOLD_UNITS && exp < expMax && units * 2 <= thresholdMax) {
            exp++;
            units *= 2;
        }
        int threshold = integrator ? 0 : (int) Math.max(1, Math.round(units));
        long firing = (long) threshold << thrShift;
        if (!integrator && firing >= (1L << (f.voltageBits().value() - 1))) {
            throw new ProgramBuildException("layer '" + name + "': threshold " + threshold + " << " + thrShift
                    + " does not fit the " + f.voltageBits().value() + "-bit voltage of " + target.name());
        }

        int decayBits = f.decayBits().value();
        int unity = 1 << decayBits;
        LeakForm form = target.neuron().leak().value();
        int decayV = 0;
        int linearLeak = 0;
        double effective = 1.0;
        if (leak < 1.0) {
            switch (form) {
                case MULTIPLICATIVE -> {
                    decayV = (int) Math.max(0, Math.min(unity, Math.round(unity * (1 - leak))));
                    effective = 1.0 - (double) decayV / unity;
                }
                case LINEAR -> {
                    // No exact linear form of λ: subtract what the multiplicative leak loses at the threshold.
                    linearLeak = (int) Math.round((1 - leak) * firing);
                    effective = firing > 0 ? 1.0 - (double) linearLeak / firing : 1.0;
                    notes.add(String.format("%s: leak %.4g approximated by a linear leak of %d per step (%s leaks linearly)",
                            name, leak, linearLeak, target.name()));
                }
                case NONE -> notes.add(String.format("%s: leak %.4g dropped: %s has no leak; the neuron integrates (λ = 1)",
                        name, leak, target.name()));
            }
        }
        // The single-state neuron of the IR: the current forgets each step (full decay), so u is
        // this step's input and v integrates it (Lava: du = 4095 plus Loihi's ds_offset of 1).
        int decayU = f.currentBits().value() > 0 ? unity : 0;
        Overflow currentOverflow = f.currentOverflow().map(o -> o.value()).orElse(Overflow.WRAP);
        NeuronParams params = new NeuronParams(f.currentBits().value(), currentOverflow, f.voltageBits().value(),
                f.voltageOverflow().value(), form, decayBits, decayU, decayV, linearLeak, threshold, thrShift, synShift,
                reset, integrator);
        return new Plan(params, new Program.Quantization(scale, exp, weightBits, theta, leak, effective), List.copyOf(notes));
    }

    /**
     * Quantizes a population's weights one neuron at a time and counts what the report needs.
     * Call {@link #mantissa} for each of a neuron's weights, then {@link #endNeuron}.
     */
    public static final class Tally {
        private final String layer;
        private final Plan plan;
        private final long mantissaMax;
        private long weights;
        private long clipped;
        private long zeros;
        private long positive;
        private long maxStepInput;
        /** weights, clipped, zeros when the current neuron began. */
        private final long[] neuronStart = new long[3];

        private int channel;
        private double scale;
        // The largest ratio of one step's most input to the firing level over the neurons (per-channel
        // scales give channels their own firing levels).
        private double maxStepRatio;

        public Tally(String layer, Plan plan) {
            this.layer = layer;
            this.plan = plan;
            this.mantissaMax = plan.mantissaMax();
            channel(0);
        }

        /** Starts the weights of a neuron of output channel {@code c} (channel 0 for a population of one scale). */
        public void channel(int c) {
            channel = c;
            scale = plan.scale(c);
        }

        /** The mantissa of a real weight: rounded at the plan's scale, clipped to the mantissa's range. */
        public long mantissa(double w) {
            long m = Math.round(w * scale);
            weights++;
            if (Math.abs(m) > mantissaMax) {
                clipped++;
                m = Math.max(-mantissaMax, Math.min(mantissaMax, m));
            }
            if (m == 0) zeros++;
            if (m > 0) positive += m;
            return m;
        }

        /**
         * Ends one neuron: its positive mantissas are the most one step can bring it.
         *
         * @return that neuron's counts, which {@link #add} can count again for a neuron known to
         *         have the same weights
         */
        public Counts endNeuron() {
            NeuronParams p = plan.params();
            long in = (positive << plan.quant().weightExponent()) << p.synapticShift();
            maxStepInput = Math.max(maxStepInput, in);
            double ratio = (double) in / Math.max(1, plan.firingLevel(channel));
            maxStepRatio = Math.max(maxStepRatio, ratio);
            positive = 0;
            Counts c = new Counts(weights - neuronStart[0], clipped - neuronStart[1], zeros - neuronStart[2], in, ratio);
            neuronStart[0] = weights;
            neuronStart[1] = clipped;
            neuronStart[2] = zeros;
            return c;
        }

        /** Counts one more neuron whose weights are those {@code c} was counted from. */
        public void add(Counts c) {
            if (positive != 0 || weights != neuronStart[0]) throw new IllegalStateException("add between mantissa and endNeuron");
            weights += c.weights();
            clipped += c.clipped();
            zeros += c.zeros();
            maxStepInput = Math.max(maxStepInput, c.maxStepInput());
            maxStepRatio = Math.max(maxStepRatio, c.maxStepRatio());
            neuronStart[0] = weights;
            neuronStart[1] = clipped;
            neuronStart[2] = zeros;
        }

        public LayerReport report() {
            NeuronParams p = plan.params();
            Program.Quantization q = plan.quant();
            List<String> warnings = new ArrayList<>();
            if (!p.integrator()) {
                long firing = p.firingLevel();
                if (weights == 0 || zeros == weights) {
                    warnings.add(String.format("%s cannot fire: %s", layer, weights == 0 ? "it has no synapses"
                            : "all " + weights + " weights round to a mantissa of 0"));
                } else if (plan.channels() != null ? maxStepRatio <= 1 : maxStepInput <= firing) {
                    // v > firing level fires; the most one step brings is every positive synapse at once.
                    String why = String.format("the most one step can bring a neuron (%d) is not above its firing level (%d)",
                            maxStepInput, firing);
                    double lambda = q.effectiveLeak();
                    if (p.leak() == LeakForm.LINEAR && maxStepInput <= p.linearLeak()) {
                        warnings.add(layer + " cannot fire: " + why + ", and the linear leak of " + p.linearLeak()
                                + " per step takes it all");
                    } else if (p.leak() == LeakForm.MULTIPLICATIVE && lambda < 1.0 && maxStepInput / (1 - lambda) <= firing) {
                        warnings.add(String.format("%s cannot fire: %s, and with λ = %.6g integration reaches at most %.4g",
                                layer, why, lambda, maxStepInput / (1 - lambda)));
                    } else {
                        warnings.add(layer + " cannot fire in one step: " + why + "; it fires only by integrating over steps");
                    }
                }
            }
            Program.ChannelScales c = plan.channels();
            return new LayerReport(layer, q.weightScale(), q.weightExponent(), q.weightBits(), p.threshold(), p.firingLevel(),
                    weights, clipped, zeros, maxStepInput, q.leak(), q.effectiveLeak(), p.decayBits(), p.decayV(),
                    p.linearLeak(), p.integrator(), List.copyOf(warnings), c == null ? null : c.scale().clone(),
                    c == null ? null : c.threshold().clone());
        }
    }

    /** One neuron's share of a {@link Tally}. */
    public record Counts(long weights, long clipped, long zeros, long maxStepInput, double maxStepRatio) {
    }

    /**
     * What quantization did to one population.
     *
     * @param scale        weight mantissa units per real unit of weight
     * @param exponent     the shared weight exponent
     * @param threshold    the threshold mantissa (fires when v > threshold << threshold_shift)
     * @param firingLevel  {@code threshold << threshold_shift}, in voltage units
     * @param weights      composed weights quantized
     * @param clipped      weights whose mantissa had to be clipped to the range
     * @param zeros        weights whose mantissa is 0 (pruned from the program)
     * @param maxStepInput the most one step can bring a neuron, in voltage units
     * @param decayV       the voltage decay constant (multiplicative leak), of {@code 2^decayBits}
     * @param linearLeak   units subtracted per step (linear leak)
     * @param warnings     the population can no longer fire, or only by integrating
     * @param channelScale     per-channel scales ({@link Scaling#CHANNEL}), or null; {@code scale} is their least
     * @param channelThreshold per-channel threshold mantissas, or null; {@code threshold} is the least scale's
     */
    public record LayerReport(String layer, double scale, int exponent, int weightBits, int threshold, long firingLevel,
            long weights, long clipped, long zeros, long maxStepInput, double leak, double effectiveLeak, int decayBits,
            int decayV, int linearLeak, boolean integrator, List<String> warnings, double[] channelScale,
            int[] channelThreshold) {

        public double clippedFraction() {
            return weights == 0 ? 0 : (double) clipped / weights;
        }

        public double zeroFraction() {
            return weights == 0 ? 0 : (double) zeros / weights;
        }

        /** One line for the compile report. */
        public String summary() {
            String leakText = leak >= 1.0 ? "no leak"
                    : linearLeak > 0 ? String.format("λ %.4g -> linear leak %d, effective %.6g", leak, linearLeak, effectiveLeak)
                    : decayV > 0 ? String.format("λ %.4g -> decay %d/%d, effective %.6g", leak, decayV, 1 << decayBits, effectiveLeak)
                    : String.format("λ %.4g dropped", leak);
            if (channelScale != null) {
                double top = 0;
                int topThreshold = 0;
                for (int c = 0; c < channelScale.length; c++) {
                    top = Math.max(top, channelScale[c]);
                    topThreshold = Math.max(topThreshold, channelThreshold[c]);
                }
                return String.format("%s: scale %.4g..%.4g over %d channels, exp %d, %d-bit weights, threshold %s, clipped %.2f%%,"
                        + " zero %.2f%%, %s", layer, scale, top, channelScale.length, exponent, weightBits,
                        integrator ? "- (readout)" : threshold + ".." + topThreshold, 100 * clippedFraction(), 100 * zeroFraction(),
                        leakText);
            }
            return String.format("%s: scale %.4g, exp %d, %d-bit weights, threshold %s, clipped %.2f%%, zero %.2f%%, %s",
                    layer, scale, exponent, weightBits, integrator ? "- (readout)" : Integer.toString(threshold),
                    100 * clippedFraction(), 100 * zeroFraction(), leakText);
        }
    }
}
