package org.snnc.compiler.target;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads target descriptions from YAML files and from the presets shipped in this jar.
 *
 * <p>Bad input never escapes as anything but a {@link TargetException} that lists every
 * problem of the file with its line and column: binary junk, an empty file and YAML syntax
 * errors included.
 */
public final class TargetLoader {

    /** Names accepted by {@link #preset}, in alphabetical order. */
    public static final List<String> PRESETS = List.of("generic", "loihi", "truenorth");

    /** Classpath folder of the preset files; examples/targets holds identical copies. */
    static final String PRESET_FOLDER = "/org/snnc/compiler/target/presets/";

    private TargetLoader() {}

    /**
     * A preset when {@code nameOrPath} does not end in {@code .yaml} or {@code .yml}, otherwise a
     * file, as the CLI's {@code --target} takes it.
     */
    public static Target resolve(String nameOrPath) {
        if (nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml")) {
            return load(Path.of(nameOrPath));
        }
        return preset(nameOrPath);
    }

    /** One of {@link #PRESETS}. */
    public static Target preset(String name) {
        if (!PRESETS.contains(name)) {
            String close = EditDistance.closest(name, PRESETS);
            throw new TargetException(List.of(new TargetError("", 0, 0, "",
                    "unknown target preset '" + name + "'",
                    (close != null ? "did you mean '" + close + "'? " : "")
                            + "the presets are " + String.join(", ", PRESETS)
                            + "; a target file's path must end in .yaml")));
        }
        String resource = PRESET_FOLDER + name + ".yaml";
        try (InputStream in = TargetLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("preset missing from the jar: " + resource);
            }
            return load(name + ".yaml", in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read preset " + resource, e);
        }
    }

    /** A file; errors name it as written in {@code file}. */
    public static Target load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TargetException(List.of(new TargetError(file.toString(), 0, 0, "",
                    "no such file", "check the path; the presets, named without .yaml, are "
                    + String.join(", ", PRESETS))));
        } catch (IOException e) {
            throw new TargetException(List.of(new TargetError(file.toString(), 0, 0, "",
                    "cannot read the file: " + e.getMessage(), null)));
        }
        return load(file.toString(), bytes);
    }

    /**
     * YAML text in UTF-8.
     *
     * @param file the name errors give for this text
     * @throws TargetException holding every problem found, sorted by position
     */
    public static Target load(String file, byte[] content) {
        List<TargetError> early = new ArrayList<>();
        String text = decode(file, content, early);
        YamlTree tree = text == null ? null : YamlTree.parse(file, text, early);
        if (!early.isEmpty()) {
            throw new TargetException(early);
        }
        Problems problems = new Problems(file);
        Target target = TargetReader.read(tree, problems);
        if (target == null) {
            throw new TargetException(problems.sorted());
        }
        return target;
    }

    /**
     * Strict UTF-8 without control characters. Checked before YAML parsing because SnakeYAML's
     * own complaints about binary input vary with the bytes and rarely name the cause.
     */
    private static String decode(String file, byte[] content, List<TargetError> errors) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content);
        CharBuffer out = CharBuffer.allocate(content.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        out.flip();
        String decoded = out.toString();
        if (result.isError()) {
            int offset = in.position();
            errors.add(notText(file, decoded, decoded.length(), String.format(
                    "byte 0x%02X at offset %d is not valid UTF-8", content[offset] & 0xff, offset)));
            return null;
        }
        int start = decoded.startsWith("\uFEFF") ? 1 : 0;
        for (int i = start; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                errors.add(notText(file, decoded, i, String.format(
                        "control character 0x%02X at character %d", (int) c, i)));
                return null;
            }
        }
        return decoded.substring(start);
    }

    private static TargetError notText(String file, String decoded, int upTo, String what) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < upTo; i++) {
            if (decoded.charAt(i) == '\n') {
                line++;
                column = 1;
            } else if (!Character.isLowSurrogate(decoded.charAt(i))) {
                column++;
            }
        }
        return new TargetError(file, line, column, "", "not a text file: " + what,
                "a target is a YAML text file in UTF-8; check that this is the file you meant");
    }
}
