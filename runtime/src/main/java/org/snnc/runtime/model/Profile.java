package org.snnc.runtime.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall-clock time per layer and pass of training steps, for finding where a step goes
 * ({@code -Dsnnc.profile=true}, e.g. through {@code SNNC_JAVA_OPTS}); printed to stderr at exit.
 * Off by default, when it costs one static boolean test per layer call.
 */
final class Profile {

    static final boolean ON = Boolean.getBoolean("snnc.profile");
    /** Forward passes left out at the start ({@code -Dsnnc.profile.skip=N}), to leave out JIT warm-up. */
    private static final int SKIP = Integer.getInteger("snnc.profile.skip", 0);
    private static int passes;
    private static boolean recording = SKIP == 0;
    private static final Map<String, long[]> TOTALS = new LinkedHashMap<>();

    static {
        if (ON) {
            Runtime.getRuntime().addShutdownHook(new Thread(Profile::print, "snnc-profile"));
        }
    }

    private Profile() {
    }

    /** Called at the start of every forward pass. */
    static void pass() {
        if (ON) {
            passes++;
            recording = passes > SKIP;
        }
    }

    static long start() {
        return ON ? System.nanoTime() : 0L;
    }

    /** Adds the time since {@code start} to {@code layer}'s {@code part}. */
    static void add(String layer, String part, long start) {
        if (ON && recording) {
            long elapsed = System.nanoTime() - start;
            synchronized (TOTALS) {
                TOTALS.computeIfAbsent(layer + " " + part, k -> new long[1])[0] += elapsed;
            }
        }
    }

    private static void print() {
        synchronized (TOTALS) {
            long all = 0;
            for (long[] v : TOTALS.values()) {
                all += v[0];
            }
            StringBuilder out = new StringBuilder("snnc profile (ms over passes " + (SKIP + 1) + " to " + passes + ", share)\n");
            for (Map.Entry<String, long[]> e : TOTALS.entrySet()) {
                out.append(String.format(java.util.Locale.ROOT, "%-32s %10.1f %5.1f%%%n", e.getKey(),
                        e.getValue()[0] / 1e6, 100.0 * e.getValue()[0] / Math.max(1, all)));
            }
            System.err.print(out);
        }
    }
}
