package org.snnc.runtime.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snnc.compiler.io.AtomicFile;
import org.snnc.runtime.model.ModelException;
import org.snnc.runtime.model.Tensor;

/**
 * The safetensors format (the Hugging Face specification), float32 only: an 8-byte
 * little-endian header length, a JSON header
 * {@code {name: {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {str: str}}}
 * padded with spaces to a multiple of 8 bytes, then the raw little-endian data, offsets relative
 * to its start. Writing is atomic: a temporary file beside the target, forced to disk, then
 * renamed over it. Reading validates everything the header claims before trusting it.
 */
public final class Safetensors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METADATA = "__metadata__";

    /** What a file holds: tensors in file order and the string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    private Safetensors() {
    }

    public static void write(Path path, List<Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Tensor t : tensors) {
            ObjectNode e = header.putObject(t.name());
            e.put("dtype", "F32");
            ArrayNode shape = e.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            long bytes = 4L * t.data().length;
            e.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        AtomicFile.write(path, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writeFully(ch, head);
                ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                for (Tensor t : tensors) {
                    for (float v : t.data()) {
                        if (!buf.hasRemaining()) {
                            buf.flip();
                            writeFully(ch, buf);
                            buf.clear();
                        }
                        buf.putFloat(v);
                    }
                }
                buf.flip();
                writeFully(ch, buf);
                ch.force(true);
            }
        });
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /**
     * Reads and validates a whole file.
     *
     * @throws ModelException naming the file and the problem (truncation, bad header, a tensor
     *                        whose offsets or dtype do not fit)
     */
    public static Contents read(Path path) throws IOException {
        byte[] all = Files.readAllBytes(path);
        String where = path.toString();
        if (all.length < 8) {
            throw new ModelException(where + ": " + all.length + " bytes is too short for a safetensors file");
        }
        long headerLength = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 2 || headerLength > all.length - 8) {
            throw new ModelException(where + ": header length " + headerLength + " does not fit in the file's "
                    + all.length + " bytes (truncated, or not a safetensors file)");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(all, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new ModelException(where + ": the header is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (header == null || !header.isObject()) {
            throw new ModelException(where + ": the header is not a JSON object");
        }
        int dataStart = 8 + (int) headerLength;
        long dataLength = all.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        ByteBuffer data = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (name.equals(METADATA)) {
                if (!v.isObject()) {
                    throw new ModelException(where + ": __metadata__ is not an object");
                }
                v.fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            tensors.put(name, tensor(where, name, v, data, dataStart, dataLength));
        }
        return new Contents(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private static Tensor tensor(String where, String name, JsonNode v, ByteBuffer data, int dataStart, long dataLength) {
        String at = where + ": tensor '" + name + "'";
        if (!v.isObject() || !v.path("dtype").isTextual() || !v.path("shape").isArray()
                || !v.path("data_offsets").isArray() || v.path("data_offsets").size() != 2) {
            throw new ModelException(at + " lacks a dtype, shape or two data_offsets");
        }
        String dtype = v.get("dtype").asText();
        if (!dtype.equals("F32")) {
            throw new ModelException(at + " has dtype " + dtype + "; snnc reads F32 tensors");
        }
        JsonNode shapeNode = v.get("shape");
        int[] shape = new int[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToInt() || d.asInt() < 0) {
                throw new ModelException(at + " has an invalid shape " + shapeNode);
            }
            shape[i] = d.asInt();
            count *= shape[i];
        }
        JsonNode off = v.get("data_offsets");
        if (!off.get(0).canConvertToLong() || !off.get(1).canConvertToLong()) {
            throw new ModelException(at + " has invalid data_offsets " + off);
        }
        long begin = off.get(0).asLong();
        long end = off.get(1).asLong();
        if (begin < 0 || end < begin || end > dataLength) {
            throw new ModelException(at + " has data_offsets [" + begin + ", " + end + "] outside the " + dataLength
                    + " data bytes (truncated file?)");
        }
        if (end - begin != 4 * count) {
            throw new ModelException(at + " has " + (end - begin) + " data bytes for shape " + Arrays.toString(shape)
                    + " (" + count + " floats)");
        }
        float[] values = new float[(int) count];
        int base = dataStart + (int) begin;
        for (int i = 0; i < values.length; i++) {
            values[i] = data.getFloat(base + 4 * i);
        }
        return new Tensor(name, shape, values, null);
    }
}
