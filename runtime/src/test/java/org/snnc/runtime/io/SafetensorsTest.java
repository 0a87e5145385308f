package org.snnc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snnc.runtime.model.ModelException;
import org.snnc.runtime.model.Tensor;

class SafetensorsTest {

    @TempDir
    Path dir;

    @Test
    void writesTheSpecifiedLayoutAndReadsItBack() throws IOException {
        Tensor a = new Tensor("conv1.weight", new int[] {2, 1, 1, 1}, new float[] {1.5f, -2f}, null);
        Tensor b = new Tensor("bntt1.weight.t00", new int[] {3}, new float[] {1f, 2f, 3f}, null);
        Path f = dir.resolve("w.safetensors");
        Safetensors.write(f, List.of(a, b), Map.of("format", "x"));
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8).strip();
        assertEquals("{\"__metadata__\":{\"format\":\"x\"},"
                + "\"conv1.weight\":{\"dtype\":\"F32\",\"shape\":[2,1,1,1],\"data_offsets\":[0,8]},"
                + "\"bntt1.weight.t00\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[8,20]}}", header);
        assertEquals(8 + n + 20, bytes.length);
        assertEquals(1.5f, ByteBuffer.wrap(bytes, 8 + (int) n, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(List.of("conv1.weight", "bntt1.weight.t00"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new float[] {1f, 2f, 3f}, c.tensors().get("bntt1.weight.t00").data());
        assertEquals("x", c.metadata().get("format"));
        assertFalse(Files.exists(dir.resolve("w.safetensors.tmp")));
    }

    @Test
    void truncatedAndCorruptFilesAreRefusedWithTheProblem() throws IOException {
        Tensor a = new Tensor("conv1.weight", new int[] {4}, new float[] {1, 2, 3, 4}, null);
        Path f = dir.resolve("w.safetensors");
        Safetensors.write(f, List.of(a), Map.of());
        byte[] bytes = Files.readAllBytes(f);

        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 3));
        assertTrue(message(cut).contains("tensor 'conv1.weight' has data_offsets [0, 16] outside the 13 data bytes"),
                message(cut));

        Files.write(cut, Arrays.copyOf(bytes, 20));
        assertTrue(message(cut).contains("does not fit in the file's 20 bytes"), message(cut));

        Files.write(cut, new byte[] {1, 2});
        assertTrue(message(cut).contains("too short"), message(cut));

        byte[] bad = bytes.clone();
        bad[8] = '[';
        Files.write(cut, bad);
        assertTrue(message(cut).contains("not valid JSON") || message(cut).contains("not a JSON object"), message(cut));

        String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("F32", "F16");
        Files.write(cut, text.getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(message(cut).contains("tensor 'conv1.weight' has dtype F16"), message(cut));
    }

    private static String message(Path f) {
        return assertThrows(ModelException.class, () -> Safetensors.read(f)).getMessage();
    }
}
