package org.snnc.runtime.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0): a magic string, a version,
 * a header length (2 bytes in 1.0, 4 after), a Python-literal header
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (200, 346, 6), }} and the raw data.
 *
 * <p>Numeric arrays only: floats {@code f4}, {@code f8}, signed and unsigned integers of 1, 2, 4
 * and 8 bytes and booleans {@code b1}, little- or big-endian ({@code <}, {@code >}; {@code |}
 * and {@code =} as numpy writes them for single bytes). Values come back as {@code float}s in C
 * (row-major) order whatever the file's order. Structured, object, string, complex and half
 * dtypes are refused by name.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private Npy() {
    }

    /** A file that is not an npy array this reader takes; the message names the file. */
    public static final class FormatException extends IOException {
        public FormatException(Path file, String message) {
            super(file + ": " + message);
        }
    }

    /**
     * An array read from a file.
     *
     * @param dtype numpy's type string as written ({@code <f4})
     * @param shape dimensions, outermost first ({@code []} for a scalar)
     * @param data  the values in C order, {@code product(shape)} of them
     */
    public record Array(String dtype, int[] shape, float[] data) {
        public int dims() {
            return shape.length;
        }
    }

    /** Whether {@code bytes} begin like an npy file. */
    public static boolean isNpy(byte[] bytes) {
        if (bytes.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    public static Array read(Path file) throws IOException {
        return read(file, Files.readAllBytes(file));
    }

    /** Parses the {@code bytes} of {@code file} (named in errors). */
    public static Array read(Path file, byte[] bytes) throws FormatException {
        if (!isNpy(bytes) || bytes.length < 10) {
            throw new FormatException(file, "not an npy file (it does not start with \\x93NUMPY)");
        }
        int major = bytes[6] & 0xFF;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = b.getShort(8) & 0xFFFF;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new FormatException(file, "truncated npy header");
            }
            headerLength = b.getInt(8) & 0xFFFFFFFFL;
            headerStart = 12;
        } else {
            throw new FormatException(file, "npy format version " + major + "." + (bytes[7] & 0xFF)
                    + " is not supported (1.0, 2.0 and 3.0 are)");
        }
        if (headerStart + headerLength > bytes.length) {
            throw new FormatException(file, "truncated: the header says " + headerLength + " bytes, the file has "
                    + (bytes.length - headerStart) + " after the preamble");
        }
        String header = new String(bytes, headerStart, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = field(file, header, "descr", "'([^']*)'");
        boolean fortran = switch (field(file, header, "fortran_order", "(True|False)")) {
            case "True" -> true;
            default -> false;
        };
        int[] shape = shape(file, header, field(file, header, "shape", "\\(([^)]*)\\)"));
        Type type = type(file, descr);
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        long dataStart = headerStart + headerLength;
        long expected = count * type.bytes;
        if (count > Integer.MAX_VALUE - 8) {
            throw new FormatException(file, "the array has " + count + " values; at most " + (Integer.MAX_VALUE - 8)
                    + " fit in memory here");
        }
        if (bytes.length - dataStart < expected) {
            throw new FormatException(file, "truncated: shape " + shapeText(shape) + " of " + descr + " needs " + expected
                    + " bytes of data, the file has " + (bytes.length - dataStart));
        }
        b.order(type.order).position((int) dataStart);
        float[] values = new float[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = type.next(b);
        }
        if (fortran && shape.length > 1) {
            values = toRowMajor(values, shape);
        }
        return new Array(descr, shape, values);
    }

    private static String field(Path file, String header, String key, String valuePattern) throws FormatException {
        Matcher m = Pattern.compile("['\"]" + key + "['\"]\\s*:\\s*" + valuePattern).matcher(header);
        if (!m.find()) {
            throw new FormatException(file, "the npy header has no readable '" + key + "' entry"
                    + (key.equals("descr") ? " (structured dtypes are not supported)" : "") + ": " + header.strip());
        }
        return m.group(1);
    }

    private static int[] shape(Path file, String header, String text) throws FormatException {
        List<Integer> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1);
            }
            try {
                int d = Integer.parseInt(p);
                if (d < 0) {
                    throw new NumberFormatException();
                }
                dims.add(d);
            } catch (NumberFormatException e) {
                throw new FormatException(file, "the npy shape (" + text + ") is not a tuple of sizes");
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    static String shapeText(int[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** An element type: its width, byte order and how one is read as a float. */
    private enum Kind { F4, F8, I1, U1, B1, I2, U2, I4, U4, I8, U8 }

    private record Type(Kind kind, int bytes, ByteOrder order) {
        float next(ByteBuffer b) {
            return switch (kind) {
                case F4 -> b.getFloat();
                case F8 -> (float) b.getDouble();
                case I1 -> b.get();
                case U1 -> b.get() & 0xFF;
                case B1 -> b.get() != 0 ? 1f : 0f;
                case I2 -> b.getShort();
                case U2 -> b.getShort() & 0xFFFF;
                case I4 -> b.getInt();
                case U4 -> b.getInt() & 0xFFFFFFFFL;
                case I8 -> b.getLong();
                case U8 -> {
                    long v = b.getLong();
                    yield v >= 0 ? v : (float) (v >>> 1) * 2f;
                }
            };
        }
    }

    private static Type type(Path file, String descr) throws FormatException {
        if (descr.length() < 3) {
            throw new FormatException(file, "dtype '" + descr + "' is not supported");
        }
        char order = descr.charAt(0);
        String code = descr.substring(1);
        Kind kind = switch (code) {
            case "f4" -> Kind.F4;
            case "f8" -> Kind.F8;
            case "i1" -> Kind.I1;
            case "u1" -> Kind.U1;
            case "b1" -> Kind.B1;
            case "i2" -> Kind.I2;
            case "u2" -> Kind.U2;
            case "i4" -> Kind.I4;
            case "u4" -> Kind.U4;
            case "i8" -> Kind.I8;
            case "u8" -> Kind.U8;
            default -> null;
        };
        if (kind == null || "<>|=".indexOf(order) < 0) {
            throw new FormatException(file, "dtype '" + descr + "' is not supported; numeric dtypes are: f4, f8, i1, u1,"
                    + " b1, i2, u2, i4, u4, i8, u8, little- or big-endian");
        }
        int bytes = Integer.parseInt(code.substring(1));
        if (order == '|' && bytes > 1) {
            throw new FormatException(file, "dtype '" + descr + "' has no byte order ('|') but is " + bytes + " bytes wide");
        }
        return new Type(kind, bytes, order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    /** Fortran (column-major) values to C (row-major) order. */
    private static float[] toRowMajor(float[] f, int[] shape) {
        int dims = shape.length;
        float[] c = new float[f.length];
        int[] index = new int[dims];
        // Walk the C order; keep the Fortran offset of the same index alongside.
        long[] fStride = new long[dims];
        long s = 1;
        for (int d = 0; d < dims; d++) {
            fStride[d] = s;
            s *= shape[d];
        }
        long fOff = 0;
        for (int i = 0; i < c.length; i++) {
            c[i] = f[(int) fOff];
            for (int d = dims - 1; d >= 0; d--) {
                index[d]++;
                fOff += fStride[d];
                if (index[d] < shape[d]) {
                    break;
                }
                fOff -= fStride[d] * shape[d];
                index[d] = 0;
            }
        }
        return c;
    }
}
