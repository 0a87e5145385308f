package org.snnc.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.snnc.compiler.ir.SpikingIr;
import org.snnc.runtime.io.Checkpoint;
import org.snnc.runtime.model.ModelException;
import org.snnc.runtime.model.Network;

/** Loading {@code --weights W} (a .safetensors file or a run directory) into a network, for every command that takes it. */
final class WeightsFile {

    private WeightsFile() {
    }

    /** The file {@code --weights} names: itself, or a run directory's checkpoint. */
    static Path resolve(Path weights) {
        return Files.isDirectory(weights) ? weights.resolve(Checkpoint.WEIGHTS) : weights;
    }

    /**
     * Loads the weights into {@code net}; a weights file trained from another version of the source
     * is loaded with a warning, any other problem is a {@link UserError} naming the file or tensor.
     */
    static void load(Network net, SpikingIr ir, Path weights, Consumer<String> warn) {
        Path file = resolve(weights);
        try {
            Checkpoint.loadWeights(net, file);
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null && Files.exists(dir.resolve(Checkpoint.SIDECAR))) {
                Checkpoint.Info info = Checkpoint.readInfo(dir);
                String trained = info.sources().isEmpty() ? null : info.sources().get(0).sha256();
                String now = ir.sources().get(0).sha256();
                if (trained != null && !trained.equals(now)) {
                    warn.accept(file + " was trained from a different version of " + ir.sources().get(0).path()
                            + " (sha256 " + trained.substring(0, 12) + "…, now " + now.substring(0, 12) + "…)");
                }
            }
        } catch (NoSuchFileException e) {
            throw new UserError("weights file " + file + " does not exist");
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        } catch (ModelException e) {
            throw new UserError(e.getMessage());
        }
    }
}
