package org.snnc.runtime.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.snnc.compiler.ir.Shape;
import org.snnc.runtime.io.Npy;

/**
 * An event recording binned into one frame of ON/OFF counts per time step, ready for an
 * {@code events} input (docs/events.md). Three file formats, told apart by their first bytes:
 * <ul>
 *   <li>text: a header line {@code snnc-events 1 width=W height=H [start=T0]}, then one event a
 *       line, {@code t x y p} (microseconds, column, row, polarity 1 = ON, 0 or -1 = OFF);
 *       {@code #} comments and blank lines anywhere;
 *   <li>binary: {@link #MAGIC}, {@code u32 width, u32 height, i64 start (-1: the first event's
 *       time), u64 count}, then {@code count} records of 16 bytes
 *       {@code i64 t, u16 x, u16 y, i8 p, 3 zero bytes}, all little-endian;
 *   <li>npy: Ev-SegNet frames {@code [H][W][C]} (one window) or {@code [F][H][W][C]} (F windows),
 *       channels 0 and 1 the ON and OFF counts of each window.
 * </ul>
 * Window {@code k} holds the events with {@code start + k·window <= t < start + (k+1)·window};
 * events outside the {@code timesteps} windows are left out and counted. Sensor coordinates are
 * scaled to the frame as {@link #cover} says (a block of sensor pixels sums into one frame pixel),
 * as {@link Ddd17Dataset} does with its frames.
 *
 * @param shape     frame shape {@code [2][H][W]}
 * @param timesteps frames
 * @param windowMs  milliseconds per frame (for npy files, whatever the frames were made with)
 * @param counts    {@code [timesteps][2][H][W]} event counts, channel 0 ON, 1 OFF
 * @param events    events binned into the frames (for npy files, the sum of the counts used)
 * @param outside   events left out, before the first or after the last window (for npy files,
 *                  the counts of the windows after the last used)
 */
public record EventFrames(Shape shape, int timesteps, double windowMs, float[] counts, long events, long outside) {

    /** The first 8 bytes of a binary event file: {@code SNNCEVT} and format version 1. */
    public static final byte[] MAGIC = {'S', 'N', 'N', 'C', 'E', 'V', 'T', 1};
    /** Bytes of the binary file's header and of each of its records. */
    public static final int BINARY_HEADER = 32;
    public static final int BINARY_RECORD = 16;

    /** A file that is not a readable event file; the message names it (and the line, for text). */
    public static final class FormatException extends IOException {
        public FormatException(String message) {
            super(message);
        }
    }

    /**
     * Reads {@code file} into {@code timesteps} frames of {@code windowMs} each.
     *
     * @param shape the input's shape; its channels must be 2 (ON, OFF)
     */
    public static EventFrames read(Path file, Shape shape, int timesteps, double windowMs) throws IOException {
        if (shape.channels() != 2) {
            throw new IllegalArgumentException("event frames have 2 channels (ON, OFF), not " + shape.channels());
        }
        if (timesteps < 1 || !(windowMs > 0) || Double.isInfinite(windowMs)) {
            throw new IllegalArgumentException("need timesteps >= 1 and a positive window, got " + timesteps + " and "
                    + windowMs + " ms");
        }
        byte[] head = new byte[8];
        int got;
        try (InputStream in = Files.newInputStream(file)) {
            got = in.readNBytes(head, 0, head.length);
        }
        if (got == head.length && Arrays.equals(head, MAGIC)) {
            return binary(file, shape, timesteps, windowMs);
        }
        if (got >= 6 && Npy.isNpy(head)) {
            return npy(file, shape, timesteps, windowMs);
        }
        if (got >= 7 && Arrays.equals(Arrays.copyOf(head, 7), Arrays.copyOf(MAGIC, 7))) {
            throw new FormatException(file + ": binary event format version " + (head[7] & 0xFF) + " is not supported"
                    + " (version 1 is)");
        }
        return text(file, shape, timesteps, windowMs);
    }

    /** The frame of step {@code t} as spikes, 1 where at least one event fell ({@code count > 0}). */
    public void spikes(int t, byte[] out, int off) {
        int frame = (int) shape.size();
        org.snnc.runtime.model.Encoder.frame(counts, t * frame, frame, out, off);
    }

    /** Accumulates events into frames, checking each against the sensor and the windows. */
    private static final class Binner {
        final Shape shape;
        final int timesteps;
        final double windowUs;
        final int width;
        final int height;
        final float[] counts;
        final int[] xLo;
        final int[] xHi;
        final int[] yLo;
        final int[] yHi;
        long start;
        long events;
        long outside;
        long last = Long.MIN_VALUE;

        Binner(Shape shape, int timesteps, double windowMs, int width, int height, long start) {
            this.shape = shape;
            this.timesteps = timesteps;
            this.windowUs = windowMs * 1000;
            this.width = width;
            this.height = height;
            this.start = start;
            counts = new float[(int) (timesteps * shape.size())];
            xLo = new int[width];
            xHi = new int[width];
            cover(width, shape.width(), xLo, xHi);
            yLo = new int[height];
            yHi = new int[height];
            cover(height, shape.height(), yLo, yHi);
        }

        /** Adds one event; returns an error message or null. */
        String add(long t, long x, long y, long p) {
            if (x < 0 || x >= width || y < 0 || y >= height) {
                return "event at (" + x + ", " + y + ") is outside the " + width + "x" + height + " sensor";
            }
            if (p != 1 && p != 0 && p != -1) {
                return "polarity " + p + " is not 1 (ON), 0 or -1 (OFF)";
            }
            if (t < last) {
                return "time " + t + " is before the previous event's " + last + "; events must be in time order";
            }
            last = t;
            if (start < 0) {
                start = t;
            }
            double k = Math.floor((t - start) / windowUs);
            if (k < 0 || k >= timesteps) {
                outside++;
                return null;
            }
            int plane = shape.height() * shape.width();
            int base = ((int) k * 2 + (p == 1 ? 0 : 1)) * plane;
            for (int fy = yLo[(int) y]; fy <= yHi[(int) y]; fy++) {
                for (int fx = xLo[(int) x]; fx <= xHi[(int) x]; fx++) {
                    counts[base + fy * shape.width() + fx] += 1f;
                }
            }
            events++;
            return null;
        }

        EventFrames frames(double windowMs) {
            return new EventFrames(shape, timesteps, windowMs, counts, events, outside);
        }
    }

    private static EventFrames text(Path file, Shape shape, int timesteps, double windowMs) throws IOException {
        Binner b = null;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                String[] f = s.split("\\s+");
                if (b == null) {
                    b = header(file, number, f, shape, timesteps, windowMs);
                    continue;
                }
                if (f.length != 4) {
                    throw error(file, number, "expected an event 't x y p', got '" + s + "'");
                }
                long[] v = new long[4];
                for (int i = 0; i < 4; i++) {
                    try {
                        v[i] = Long.parseLong(f[i]);
                    } catch (NumberFormatException e) {
                        throw error(file, number, "'" + f[i] + "' is not an integer (events are 't x y p': microseconds,"
                                + " column, row, polarity)");
                    }
                }
                if (v[0] < 0) {
                    throw error(file, number, "time " + v[0] + " is negative");
                }
                String problem = b.add(v[0], v[1], v[2], v[3]);
                if (problem != null) {
                    throw error(file, number, problem);
                }
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new FormatException(file + ": not a text event file (not UTF-8), nor a binary one (it does not start"
                    + " with SNNCEVT) nor an npy file");
        }
        if (b == null) {
            throw new FormatException(file + ": no 'snnc-events 1 width=W height=H' header line");
        }
        return b.frames(windowMs);
    }

    private static Binner header(Path file, int number, String[] f, Shape shape, int timesteps, double windowMs)
            throws FormatException {
        if (!f[0].equals("snnc-events")) {
            throw error(file, number, "expected the header 'snnc-events 1 width=W height=H [start=T0]', got '"
                    + String.join(" ", f) + "'");
        }
        if (f.length < 2 || !f[1].equals("1")) {
            throw error(file, number, "event text format version " + (f.length < 2 ? "(none)" : f[1])
                    + " is not supported (version 1 is: 'snnc-events 1 width=W height=H')");
        }
        long width = -1;
        long height = -1;
        long start = -1;
        for (int i = 2; i < f.length; i++) {
            int eq = f[i].indexOf('=');
            String key = eq < 0 ? f[i] : f[i].substring(0, eq);
            long value;
            try {
                value = eq < 0 ? -1 : Long.parseLong(f[i].substring(eq + 1));
            } catch (NumberFormatException e) {
                throw error(file, number, "'" + f[i] + "' is not key=integer");
            }
            switch (key) {
                case "width" -> width = value;
                case "height" -> height = value;
                case "start" -> start = value;
                default -> throw error(file, number, "unknown header key '" + key + "'; known: width, height, start");
            }
        }
        if (width < 1 || height < 1 || width > 65535 || height > 65535) {
            throw error(file, number, "the header needs width=W height=H, each in [1, 65535]");
        }
        if (f.length > 2 && start < -1) {
            throw error(file, number, "start must be a time in microseconds >= 0");
        }
        return new Binner(shape, timesteps, windowMs, (int) width, (int) height, start);
    }

    private static FormatException error(Path file, int line, String message) {
        return new FormatException(file + ":" + line + ": " + message);
    }

    private static EventFrames binary(Path file, Shape shape, int timesteps, double windowMs) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < BINARY_HEADER) {
            throw new FormatException(file + ": truncated header (" + bytes.length + " of " + BINARY_HEADER + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long width = b.getInt(8) & 0xFFFFFFFFL;
        long height = b.getInt(12) & 0xFFFFFFFFL;
        long start = b.getLong(16);
        long count = b.getLong(24);
        if (width < 1 || height < 1 || width > 65535 || height > 65535) {
            throw new FormatException(file + ": sensor " + width + "x" + height + " is not in [1, 65535] per side");
        }
        if (start < -1) {
            throw new FormatException(file + ": start " + start + " is neither a time in microseconds nor -1");
        }
        if (count < 0 || count != (bytes.length - BINARY_HEADER) / BINARY_RECORD
                || (bytes.length - BINARY_HEADER) % BINARY_RECORD != 0) {
            throw new FormatException(file + ": the header counts " + Long.toUnsignedString(count) + " events but "
                    + (bytes.length - BINARY_HEADER) + " bytes follow it (" + BINARY_RECORD + " per event)");
        }
        Binner binner = new Binner(shape, timesteps, windowMs, (int) width, (int) height, start);
        for (long i = 0; i < count; i++) {
            int at = (int) (BINARY_HEADER + i * BINARY_RECORD);
            long t = b.getLong(at);
            if (t < 0) {
                throw new FormatException(file + ": event " + i + ": time " + t + " is negative");
            }
            String problem = binner.add(t, b.getShort(at + 8) & 0xFFFF, b.getShort(at + 10) & 0xFFFF, b.get(at + 12));
            if (problem != null) {
                throw new FormatException(file + ": event " + i + ": " + problem);
            }
        }
        return binner.frames(windowMs);
    }

    private static EventFrames npy(Path file, Shape shape, int timesteps, double windowMs) throws IOException {
        Npy.Array a = Npy.read(file);
        int[] s = a.shape();
        if ((s.length != 3 && s.length != 4) || s[s.length - 1] < 2) {
            throw new FormatException(file + ": npy event frames are [H][W][C] or [F][H][W][C] with C >= 2 (ON, OFF"
                    + " counts first), got shape " + Arrays.toString(s));
        }
        int windows = s.length == 4 ? s[0] : 1;
        int h = s[s.length - 3];
        int w = s[s.length - 2];
        int c = s[s.length - 1];
        if (windows < timesteps) {
            throw new FormatException(file + ": holds " + windows + " window" + (windows == 1 ? "" : "s") + " of events but "
                    + timesteps + " time steps need as many");
        }
        int frame = (int) shape.size();
        float[] counts = new float[timesteps * frame];
        int per = h * w * c;
        for (int k = 0; k < timesteps; k++) {
            sumResize(a.data(), h, w, c, k * per, 2, shape.height(), shape.width(), counts, k * frame);
        }
        for (float v : counts) {
            if (!(v >= 0) || Float.isInfinite(v)) {
                throw new FormatException(file + ": holds a count of " + v + "; ON/OFF counts are finite and >= 0");
            }
        }
        double used = 0;
        for (float v : counts) {
            used += v;
        }
        double rest = 0;
        for (int k = timesteps; k < windows; k++) {
            for (int i = 0; i < per; i += c) {
                rest += a.data()[k * per + i] + a.data()[k * per + i + 1];
            }
        }
        return new EventFrames(shape, timesteps, windowMs, counts, Math.round(used), Math.round(rest));
    }

    /**
     * For each of {@code in} sensor pixels along one axis, the first and last of the {@code out}
     * frame pixels it counts into. Shrinking, sensor pixel {@code x} counts into frame pixel
     * {@code floor(x·out/in)}, so each frame pixel sums a block of sensor pixels; enlarging, frame
     * pixel {@code X} shows sensor pixel {@code floor(X·in/out)}, so each sensor pixel is
     * replicated.
     */
    static void cover(int in, int out, int[] lo, int[] hi) {
        if (in >= out) {
            for (int x = 0; x < in; x++) {
                lo[x] = (int) ((long) x * out / in);
                hi[x] = lo[x];
            }
            return;
        }
        Arrays.fill(lo, Integer.MAX_VALUE);
        Arrays.fill(hi, -1);
        for (int x = 0; x < out; x++) {
            int s = (int) ((long) x * in / out);
            lo[s] = Math.min(lo[s], x);
            hi[s] = Math.max(hi[s], x);
        }
    }

    /**
     * Resizes channels {@code 0 .. channels-1} of {@code [h][w][c]} (channels last, at
     * {@code src[srcOff ..)}) to {@code [channels][outH][outW]} at {@code out[outOff ..)}, each
     * frame pixel the sum of its block of source pixels (see {@link #cover}).
     */
    static void sumResize(float[] src, int h, int w, int c, int srcOff, int channels, int outH, int outW,
                          float[] out, int outOff) {
        int plane = outH * outW;
        Arrays.fill(out, outOff, outOff + channels * plane, 0f);
        int[] yLo = new int[h];
        int[] yHi = new int[h];
        int[] xLo = new int[w];
        int[] xHi = new int[w];
        cover(h, outH, yLo, yHi);
        cover(w, outW, xLo, xHi);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = srcOff + (y * w + x) * c;
                for (int k = 0; k < channels; k++) {
                    float v = src[at + k];
                    if (v == 0f) {
                        continue;
                    }
                    for (int fy = yLo[y]; fy <= yHi[y]; fy++) {
                        for (int fx = xLo[x]; fx <= xHi[x]; fx++) {
                            out[outOff + k * plane + fy * outW + fx] += v;
                        }
                    }
                }
            }
        }
    }

    /**
     * The static summary of frames {@code [timesteps][frame]}: per location, the fraction of the
     * frames with at least one event, into {@code out[off .. off+frame)}.
     */
    static void occupancy(float[] frames, int timesteps, int frame, float[] out, int off) {
        Arrays.fill(out, off, off + frame, 0f);
        for (int t = 0; t < timesteps; t++) {
            for (int i = 0; i < frame; i++) {
                if (frames[t * frame + i] > 0f) {
                    out[off + i] += 1f;
                }
            }
        }
        for (int i = 0; i < frame; i++) {
            out[off + i] /= timesteps;
        }
    }
}
