package org.snnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snnc.compiler.ir.Shape;
import org.snnc.runtime.testing.NpyBytes;

class EventFramesTest {

    @TempDir
    Path dir;

    private static final Shape FRAME = new Shape(2, 2, 2);

    /** A 4x4 sensor binned to 2x2 frames of 10 ms: each frame pixel sums a 2x2 block of sensor pixels. */
    static final String TEXT = """
            # a recording of a 4x4 sensor
            snnc-events 1 width=4 height=4

            1000 0 0 1
            1500 1 1 1
            9999 3 0 0
            # the second window starts at 11000 = 1000 + 10 ms
            11000 3 3 -1
            20999 2 2 1
            21000 0 0 1
            """;

    @Test
    void textEventsAreBinnedByWindowPolarityAndFootprint() throws IOException {
        Path f = dir.resolve("a.events");
        Files.writeString(f, TEXT);
        EventFrames e = EventFrames.read(f, FRAME, 2, 10);
        // [t][polarity][y][x]; window 0 from the first event's time, 1000 us.
        float[] expected = {
            2, 0, 0, 0,   0, 1, 0, 0,
            0, 0, 0, 1,   0, 0, 0, 1,
        };
        assertArrayEquals(expected, e.counts());
        assertEquals(5, e.events());
        assertEquals(1, e.outside());
        byte[] spikes = new byte[8];
        e.spikes(0, spikes, 0);
        assertArrayEquals(new byte[] {1, 0, 0, 0, 0, 1, 0, 0}, spikes);
        // An explicit start moves the windows: from 0 us, the first window holds the first three.
        Files.writeString(f, TEXT.replace("height=4", "height=4 start=0"));
        EventFrames s = EventFrames.read(f, FRAME, 1, 10);
        assertArrayEquals(new float[] {2, 0, 0, 0, 0, 1, 0, 0}, s.counts());
        assertEquals(3, s.outside());
    }

    @Test
    void aLargerFrameReplicatesEachSensorPixel() throws IOException {
        Path f = dir.resolve("b.events");
        Files.writeString(f, "snnc-events 1 width=2 height=1\n0 1 0 1\n");
        EventFrames e = EventFrames.read(f, new Shape(2, 2, 4), 1, 50);
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, e.counts());
    }

    @Test
    void binaryEventsMatchTheirTextTwin() throws IOException {
        long[][] events = {{1000, 0, 0, 1}, {1500, 1, 1, 1}, {9999, 3, 0, 0}, {11000, 3, 3, -1}, {20999, 2, 2, 1},
            {21000, 0, 0, 1}};
        Path f = dir.resolve("a.bin");
        Files.write(f, binary(4, 4, -1, events));
        Path t = dir.resolve("a.events");
        Files.writeString(t, TEXT);
        assertEquals(EventFrames.read(t, FRAME, 2, 10).counts().length, EventFrames.read(f, FRAME, 2, 10).counts().length);
        assertArrayEquals(EventFrames.read(t, FRAME, 2, 10).counts(), EventFrames.read(f, FRAME, 2, 10).counts());
        assertEquals(1, EventFrames.read(f, FRAME, 2, 10).outside());
    }

    static byte[] binary(int width, int height, long start, long[][] events) {
        ByteBuffer b = ByteBuffer.allocate(EventFrames.BINARY_HEADER + EventFrames.BINARY_RECORD * events.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(EventFrames.MAGIC).putInt(width).putInt(height).putLong(start).putLong(events.length);
        for (long[] e : events) {
            b.putLong(e[0]).putShort((short) e[1]).putShort((short) e[2]).put((byte) e[3]).put(new byte[3]);
        }
        return b.array();
    }

    @Test
    void npyFramesAreSummedToTheFrameSize() throws IOException {
        // Two windows of a 2x4 sensor with 3 channels (the third not a count).
        float[] v = new float[2 * 2 * 4 * 3];
        v[(0 * 8 + 1) * 3] = 1; // window 0, row 0, column 1, ON
        v[(0 * 8 + 0) * 3] = 2; // window 0, row 0, column 0, ON
        v[(0 * 8 + 7) * 3 + 1] = 1; // window 0, row 1, column 3, OFF
        v[(1 * 8 + 2) * 3 + 1] = 4; // window 1, row 0, column 2, OFF
        for (int i = 2; i < v.length; i += 3) v[i] = 0.7f;
        Path f = dir.resolve("w.npy");
        Files.write(f, NpyBytes.f4(v, 2, 2, 4, 3));
        EventFrames e = EventFrames.read(f, new Shape(2, 1, 2), 2, 50);
        assertArrayEquals(new float[] {3, 0, 0, 1, 0, 0, 0, 4}, e.counts());
        assertEquals(8, e.events());
        EventFrames first = EventFrames.read(f, new Shape(2, 1, 2), 1, 50);
        assertEquals(4, first.outside());
        assertEquals(f + ": holds 2 windows of events but 3 time steps need as many",
                assertThrows(EventFrames.FormatException.class, () -> EventFrames.read(f, new Shape(2, 1, 2), 3, 50))
                        .getMessage());
    }

    @Test
    void malformedFilesNameTheFileTheLineAndTheProblem() throws IOException {
        assertEquals("a:2: expected an event 't x y p', got '5 1 1'",
                textError("snnc-events 1 width=4 height=4\n5 1 1\n"));
        assertEquals("a:3: event at (4, 0) is outside the 4x4 sensor",
                textError("snnc-events 1 width=4 height=4\n5 1 1 1\n6 4 0 1\n"));
        assertEquals("a:2: polarity 2 is not 1 (ON), 0 or -1 (OFF)", textError("snnc-events 1 width=4 height=4\n5 1 1 2\n"));
        assertEquals("a:3: time 4 is before the previous event's 5; events must be in time order",
                textError("snnc-events 1 width=4 height=4\n5 1 1 1\n4 1 1 1\n"));
        assertEquals("a:2: 'x' is not an integer (events are 't x y p': microseconds, column, row, polarity)",
                textError("snnc-events 1 width=4 height=4\nx 1 1 1\n"));
        assertEquals("a:1: expected the header 'snnc-events 1 width=W height=H [start=T0]', got '5 1 1 1'",
                textError("5 1 1 1\n"));
        assertEquals("a:2: event text format version 2 is not supported (version 1 is: 'snnc-events 1 width=W height=H')",
                textError("# v2\nsnnc-events 2 width=4 height=4\n"));
        assertEquals("a:1: the header needs width=W height=H, each in [1, 65535]", textError("snnc-events 1 width=4\n"));
        assertEquals("a:1: unknown header key 'depth'; known: width, height, start",
                textError("snnc-events 1 width=4 height=4 depth=3\n"));
        assertEquals("a: no 'snnc-events 1 width=W height=H' header line", textError("# nothing\n"));
        Path f = dir.resolve("a");
        Files.write(f, java.util.Arrays.copyOf(binary(4, 4, -1, new long[][] {{0, 0, 0, 1}}), 40));
        assertEquals(f + ": the header counts 1 events but 8 bytes follow it (16 per event)", error(f));
        byte[] v2 = binary(4, 4, -1, new long[0][]);
        v2[7] = 2;
        Files.write(f, v2);
        assertEquals(f + ": binary event format version 2 is not supported (version 1 is)", error(f));
        Files.write(f, binary(4, 4, -1, new long[][] {{0, 9, 0, 1}}));
        assertEquals(f + ": event 0: event at (9, 0) is outside the 4x4 sensor", error(f));
        Files.write(f, NpyBytes.f4(new float[8], 2, 4));
        assertEquals(f + ": npy event frames are [H][W][C] or [F][H][W][C] with C >= 2 (ON, OFF counts first), got shape"
                + " [2, 4]", error(f));
        Files.write(f, new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 1});
        assertEquals(f + ": not a text event file (not UTF-8), nor a binary one (it does not start with SNNCEVT) nor an"
                + " npy file", error(f));
    }

    private String textError(String text) throws IOException {
        Path f = dir.resolve("a");
        Files.writeString(f, text);
        String m = error(f);
        return m.startsWith(f.toString()) ? "a" + m.substring(f.toString().length()) : m;
    }

    private static String error(Path f) {
        return assertThrows(EventFrames.FormatException.class, () -> EventFrames.read(f, FRAME, 2, 10)).getMessage();
    }

    @Test
    void theDocumentedSampleFileReads() throws IOException {
        // docs/events.md's example, kept verbatim.
        Path f = dir.resolve("sample.events");
        Files.write(f, List.of("# 3 events of a 346x260 DAVIS", "snnc-events 1 width=346 height=260",
                "0 10 20 1", "1200 11 20 0", "51000 200 100 1"));
        EventFrames e = EventFrames.read(f, new Shape(2, 64, 64), 2, 50);
        assertEquals(3, e.events());
        // Sensor pixel (x, y) counts into frame pixel (floor(x·64/346), floor(y·64/260)).
        assertEquals(1f, e.counts()[(20 * 64 / 260) * 64 + 10 * 64 / 346]);
        assertEquals(1f, e.counts()[64 * 64 + (20 * 64 / 260) * 64 + 11 * 64 / 346]);
        assertEquals(1f, e.counts()[2 * 64 * 64 + (100 * 64 / 260) * 64 + 200 * 64 / 346]);
    }
}
