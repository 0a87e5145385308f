package org.snnc.compiler.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Every file snnc writes for keeps (programs, checkpoints, weights, reports, images) appears
 * whole or not at all: it is written under a fresh name beside its final one (the same file
 * system, so the rename is atomic), then renamed over it; a failed write leaves nothing behind.
 * The fresh name is not {@code Files.createTempFile}'s, whose owner-only permissions would pass to
 * the file through the rename.
 */
public final class AtomicFile {

    /** Writes the content of the file into {@code tmp}, a path that does not exist yet. */
    public interface Body {
        void writeTo(Path tmp) throws IOException;
    }

    private AtomicFile() {
    }

    /** Writes {@code file} through {@code body}, atomically. */
    public static void write(Path file, Body body) throws IOException {
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
        try {
            body.writeTo(tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
