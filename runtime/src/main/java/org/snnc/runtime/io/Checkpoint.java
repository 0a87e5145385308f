package org.snnc.runtime.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snnc.compiler.io.AtomicFile;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.runtime.model.ModelException;
import org.snnc.runtime.model.Network;
import org.snnc.runtime.model.Tensor;
import org.snnc.runtime.optim.Optimizer;

/**
 * A run directory's checkpoint: {@code checkpoint.safetensors} holds every network tensor under
 * its documented name plus the optimiser state under {@code optimizer.*}; the sidecar
 * {@code checkpoint.json} holds the provenance ({@link Info}). Both are replaced atomically.
 */
public final class Checkpoint {

    public static final String WEIGHTS = "checkpoint.safetensors";
    public static final String SIDECAR = "checkpoint.json";
    public static final String FORMAT = "snnc-checkpoint-1";
    private static final String OPTIMIZER_PREFIX = "optimizer.";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The sidecar's content.
     *
     * @param sources   the .snn files and their SHA-256, as the IR recorded them
     * @param step      optimiser steps done
     * @param epoch     epochs completed
     * @param optimizer {@code adam} or {@code sgd}
     */
    public record Info(String format, String network, Map<String, Object> params, List<SpikingIr.SourceRef> sources,
                       long step, int epoch, long seed, String optimizer, double lr, int batch, String init,
                       String data) {
    }

    private Checkpoint() {
    }

    public static void save(Path dir, Network net, Optimizer optimizer, Info info) throws IOException {
        Files.createDirectories(dir);
        List<Tensor> all = new ArrayList<>(net.tensors());
        if (optimizer != null) {
            all.addAll(optimizer.state());
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("network", info.network());
        meta.put("step", Long.toString(info.step()));
        if (!info.sources().isEmpty()) {
            meta.put("source_sha256", info.sources().get(0).sha256());
        }
        Safetensors.write(dir.resolve(WEIGHTS), all, meta);
        String sidecar = JSON.writeValueAsString(info) + "\n";
        AtomicFile.write(dir.resolve(SIDECAR), tmp -> Files.writeString(tmp, sidecar, StandardCharsets.UTF_8));
    }

    /**
     * Reads a weights file and copies every network tensor into {@code net}, after checking that
     * the file has each of them with the network's shape and nothing else but {@code optimizer.*}
     * tensors. Nothing is copied if any check fails.
     *
     * @return the file's contents (for the optimiser state)
     * @throws ModelException naming the tensor or the problem
     */
    public static Safetensors.Contents loadWeights(Network net, Path file) throws IOException {
        Safetensors.Contents contents = Safetensors.read(file);
        Map<String, Tensor> found = contents.tensors();
        for (Tensor t : net.tensors()) {
            Tensor f = found.get(t.name());
            if (f == null) {
                throw new ModelException(file + " has no tensor '" + t.name() + "' " + t.shapeString()
                        + "; the weights are not for this network (or its --param values)");
            }
            if (!java.util.Arrays.equals(f.shape(), t.shape())) {
                throw new ModelException("tensor '" + t.name() + "' has shape " + f.shapeString() + " in " + file
                        + ", the network needs " + t.shapeString());
            }
        }
        for (String name : found.keySet()) {
            if (!name.startsWith(OPTIMIZER_PREFIX) && net.tensor(name) == null) {
                throw new ModelException(file + " has tensor '" + name + "', which the network does not have");
            }
        }
        for (Tensor t : net.tensors()) {
            float[] src = found.get(t.name()).data();
            System.arraycopy(src, 0, t.data(), 0, src.length);
        }
        return contents;
    }

    /** Copies the optimiser state from loaded contents; every state tensor must be there with its shape. */
    public static void restoreOptimizer(Optimizer optimizer, Safetensors.Contents contents, long steps, Path file) {
        for (Tensor t : optimizer.state()) {
            Tensor f = contents.tensors().get(t.name());
            if (f == null || !java.util.Arrays.equals(f.shape(), t.shape())) {
                throw new ModelException(file + " lacks optimizer tensor '" + t.name() + "' " + t.shapeString()
                        + " (saved by another optimizer?)");
            }
            System.arraycopy(f.data(), 0, t.data(), 0, f.data().length);
        }
        optimizer.setSteps(steps);
    }

    public static Info readInfo(Path dir) throws IOException {
        Path p = dir.resolve(SIDECAR);
        try {
            return JSON.readValue(p.toFile(), Info.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ModelException(p + " is not a valid checkpoint sidecar: " + e.getOriginalMessage());
        }
    }
}
