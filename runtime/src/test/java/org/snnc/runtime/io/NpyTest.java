package org.snnc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.snnc.runtime.testing.NpyBytes.floats;
import static org.snnc.runtime.testing.NpyBytes.npy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    private Npy.Array read(byte[] bytes) throws Exception {
        Path f = dir.resolve("a.npy");
        Files.write(f, bytes);
        return Npy.read(f);
    }

    @Test
    void readsVersion1LittleEndianFloatsInCOrder() throws Exception {
        // numpy.arange(6, dtype='<f4').reshape(2, 3)
        Npy.Array a = read(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                floats(ByteOrder.LITTLE_ENDIAN, 0, 1, 2, 3, 4, 5)));
        assertEquals("<f4", a.dtype());
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, a.data());
    }

    @Test
    void fortranOrderComesBackInCOrder() throws Exception {
        // numpy.asfortranarray(numpy.arange(24).reshape(2, 3, 4)) stores element [i][j][k] at i + 2j + 6k.
        float[] fortran = new float[24];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    fortran[i + 2 * j + 6 * k] = i * 12 + j * 4 + k;
                }
            }
        }
        Npy.Array a = read(npy(2, "{'descr': '>f4', 'fortran_order': True, 'shape': (2, 3, 4), }",
                floats(ByteOrder.BIG_ENDIAN, fortran)));
        assertArrayEquals(new int[] {2, 3, 4}, a.shape());
        for (int i = 0; i < 24; i++) {
            assertEquals(i, a.data()[i]);
        }
    }

    @Test
    void integerBooleanAndDoubleTypesConvert() throws Exception {
        assertArrayEquals(new float[] {0, 200, 255},
                read(npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", new byte[] {0, (byte) 200, -1})).data());
        assertArrayEquals(new float[] {-1, 0, 127},
                read(npy(1, "{'descr': '|i1', 'fortran_order': False, 'shape': (3,), }", new byte[] {-1, 0, 127})).data());
        assertArrayEquals(new float[] {1, 0},
                read(npy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", new byte[] {1, 0})).data());
        ByteBuffer s = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) -300).putShort((short) 7);
        assertArrayEquals(new float[] {-300, 7},
                read(npy(3, "{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }", s.array())).data());
        ByteBuffer u = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putShort((short) 60000).putShort((short) 1);
        assertArrayEquals(new float[] {60000, 1},
                read(npy(1, "{'descr': '>u2', 'fortran_order': False, 'shape': (2,), }", u.array())).data());
        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.25).putDouble(-2.5);
        assertArrayEquals(new float[] {0.25f, -2.5f},
                read(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", d.array())).data());
        ByteBuffer l = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-5_000_000_000L);
        assertArrayEquals(new float[] {-5e9f},
                read(npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", l.array())).data());
        // A scalar has shape () and one value.
        Npy.Array scalar = read(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }",
                floats(ByteOrder.LITTLE_ENDIAN, 3)));
        assertEquals(0, scalar.dims());
        assertArrayEquals(new float[] {3}, scalar.data());
    }

    @Test
    void refusalsNameTheFileAndTheProblem() throws Exception {
        Path f = dir.resolve("a.npy");
        assertEquals(f + ": not an npy file (it does not start with \\x93NUMPY)",
                message("PK\u0003\u0004 a zip file".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(f + ": dtype '<c8' is not supported; numeric dtypes are: f4, f8, i1, u1, b1, i2, u2, i4, u4, i8, u8,"
                        + " little- or big-endian",
                message(npy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8])));
        assertEquals(f + ": dtype '<f2' is not supported; numeric dtypes are: f4, f8, i1, u1, b1, i2, u2, i4, u4, i8, u8,"
                        + " little- or big-endian",
                message(npy(1, "{'descr': '<f2', 'fortran_order': False, 'shape': (1,), }", new byte[2])));
        assertEquals(f + ": truncated: shape (2, 3) of <f4 needs 24 bytes of data, the file has 8",
                message(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", new byte[8])));
        String structured = "{'descr': [('t', '<i8'), ('x', '<u2')], 'fortran_order': False, 'shape': (1,), }";
        assertEquals(f + ": the npy header has no readable 'descr' entry (structured dtypes are not supported): "
                + structured, message(npy(1, structured, new byte[10])));
        byte[] v4 = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]);
        v4[6] = 4;
        assertEquals(f + ": npy format version 4.0 is not supported (1.0, 2.0 and 3.0 are)", message(v4));
        ByteArrayOutputStream cut = new ByteArrayOutputStream();
        cut.write(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]), 0, 30);
        assertEquals(f + ": truncated: the header says 118 bytes, the file has 20 after the preamble",
                message(cut.toByteArray()));
    }

    private String message(byte[] bytes) {
        return assertThrows(Npy.FormatException.class, () -> read(bytes)).getMessage();
    }
}
