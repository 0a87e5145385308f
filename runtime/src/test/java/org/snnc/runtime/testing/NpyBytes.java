package org.snnc.runtime.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** npy files written by hand, byte for byte as numpy writes them, for the readers' tests. */
public final class NpyBytes {

    private NpyBytes() {
    }

    /** Magic, version {@code major}.0, header length, the header padded with spaces and a newline to 64 bytes, data. */
    public static byte[] npy(int major, String header, byte[] data) {
        int preamble = major == 1 ? 10 : 12;
        StringBuilder h = new StringBuilder(header);
        while ((preamble + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        byte[] text = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(preamble + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) text.length);
        } else {
            b.putInt(text.length);
        }
        b.put(text).put(data);
        return b.array();
    }

    /** A version 1.0 C-order {@code <f4} array of {@code shape}. */
    public static byte[] f4(float[] values, int... shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        s.append(shape.length == 1 ? ",)" : ")");
        return npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': " + s + ", }", floats(ByteOrder.LITTLE_ENDIAN, values));
    }

    public static byte[] floats(ByteOrder order, float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }
}
