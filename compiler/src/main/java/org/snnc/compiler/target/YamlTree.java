package org.snnc.compiler.target;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML document as a tree that remembers where every key and value was written.
 *
 * <p>Jackson's {@code JsonNode} drops locations, and every diagnostic must name a line and a
 * column, so the tree is built here from the streaming parser's token locations (1-based).
 */
sealed interface YamlTree permits YamlTree.YamlMap, YamlTree.YamlSeq, YamlTree.YamlScalar {

    Location at();

    /** Short description of what was written, for "expected X, got Y" messages. */
    String describe();

    record Location(int line, int column) {
        static final Location START = new Location(1, 1);
    }

    record Entry(String key, Location keyAt, YamlTree value) {}

    record YamlMap(List<Entry> entries, Location at) implements YamlTree {
        public YamlMap {
            entries = List.copyOf(entries);
        }

        Entry entry(String key) {
            for (Entry e : entries) {
                if (e.key().equals(key)) {
                    return e;
                }
            }
            return null;
        }

        @Override
        public String describe() {
            return "a map";
        }
    }

    record YamlSeq(List<YamlTree> items, Location at) implements YamlTree {
        public YamlSeq {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    enum Kind { STRING, INTEGER, REAL, BOOLEAN, NULL, ALIAS }

    /**
     * A scalar with its YAML-resolved kind. {@code integer} is set for INTEGER, {@code real} for
     * INTEGER and REAL; the text is kept so messages can echo what the user wrote.
     */
    record YamlScalar(Kind kind, String text, BigInteger integer, double real, Location at)
            implements YamlTree {

        @Override
        public String describe() {
            return switch (kind) {
                case STRING -> "the string \"" + text + "\"";
                case INTEGER, REAL, BOOLEAN -> text;
                case NULL -> "nothing";
                case ALIAS -> "the alias *" + text;
            };
        }
    }

    /**
     * Parses {@code text} into a tree. Returns null, after adding errors, when the text is not
     * one well-formed YAML document or holds no document at all.
     */
    static YamlTree parse(String file, String text, List<TargetError> errors) {
        try (JsonParser parser = new YAMLFactory().createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                errors.add(new TargetError(file, 1, 1, "", "the file is empty",
                        "a target needs schema_version, name, description and the sections chip, "
                                + "board, core, numbers, neuron, timing and energy; copy a preset "
                                + "such as examples/targets/generic.yaml and edit it"));
                return null;
            }
            YamlTree root = read(parser, first);
            JsonToken extra = parser.nextToken();
            if (extra != null) {
                Location at = location(parser.currentTokenLocation());
                errors.add(new TargetError(file, at.line(), at.column(), "",
                        "a second YAML document starts here",
                        "a target file holds exactly one document; remove the '---' separator "
                                + "and everything after it, or split it into two files"));
                return null;
            }
            return root;
        } catch (JsonProcessingException e) {
            Location at = problemLocation(e);
            errors.add(new TargetError(file, at.line(), at.column(), "",
                    "YAML syntax error: " + syntaxProblem(e.getOriginalMessage()),
                    "check the indentation and the brackets, colons and quotes near this position"));
            return null;
        } catch (IOException | RuntimeException e) {
            // The parser reads from a String, so an IOException is no disk problem, and SnakeYAML
            // signals some limits (aliases, sizes) with unchecked exceptions: both are bad input,
            // which must become a diagnostic rather than a stack trace.
            errors.add(new TargetError(file, 1, 1, "", "cannot parse the file: "
                    + firstLine(e.getMessage()), null));
            return null;
        }
    }

    private static YamlTree read(JsonParser p, JsonToken token) throws IOException {
        if (token == null) {
            throw new JsonParseException(p, "the document ends in the middle of a value");
        }
        Location at = location(p.currentTokenLocation());
        switch (token) {
            case START_OBJECT: {
                List<Entry> entries = new ArrayList<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Location keyAt = location(p.currentTokenLocation());
                    YamlTree value = read(p, p.nextToken());
                    entries.add(new Entry(key, keyAt, value));
                }
                return new YamlMap(entries, at);
            }
            case START_ARRAY: {
                List<YamlTree> items = new ArrayList<>();
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    items.add(read(p, t));
                }
                return new YamlSeq(items, at);
            }
            case VALUE_NUMBER_INT:
                return new YamlScalar(Kind.INTEGER, p.getText(), p.getBigIntegerValue(),
                        p.getDoubleValue(), at);
            case VALUE_NUMBER_FLOAT:
                return new YamlScalar(Kind.REAL, p.getText(), null, p.getDoubleValue(), at);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new YamlScalar(Kind.BOOLEAN, p.getText(), null, 0, at);
            case VALUE_NULL:
                return new YamlScalar(Kind.NULL, p.getText(), null, 0, at);
            default:
                boolean alias = p instanceof YAMLParser yaml && yaml.isCurrentAlias();
                return new YamlScalar(alias ? Kind.ALIAS : Kind.STRING, p.getText(), null, 0, at);
        }
    }

    /**
     * SnakeYAML's message ends with the position of the problem itself, while the exception's
     * location is sometimes the position of the enclosing construct; prefer the former.
     */
    private static Location problemLocation(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        Matcher m = SNAKEYAML_MARK.matcher(message == null ? "" : message);
        Location at = null;
        while (m.find()) {
            at = new Location(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        if (at != null) {
            return at;
        }
        JsonLocation loc = e.getLocation();
        return loc == null ? Location.START : location(loc);
    }

    private static String firstLine(String message) {
        return message == null ? "malformed YAML" : message.lines().findFirst().orElse("").strip();
    }

    private static Location location(JsonLocation loc) {
        return new Location(Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
    }

    /**
     * SnakeYAML's message is several lines: an optional context, its position and excerpt, then
     * the problem, its position and excerpt. The position is reported separately, so keep the
     * problem and the context words only.
     */
    Pattern SNAKEYAML_MARK = Pattern.compile("line (\\d+), column (\\d+)");

    static String syntaxProblem(String message) {
        if (message == null || message.isBlank()) {
            return "malformed YAML";
        }
        if (message.startsWith("Expected a field name")) {
            // Jackson's wording names SnakeYAML event classes; say what the user can change.
            return "a key must be a plain word, not a list or a map";
        }
        List<String> sentences = new ArrayList<>();
        for (String line : message.split("\n")) {
            String trimmed = line.strip();
            boolean excerpt = line.startsWith("    ") || trimmed.equals("^")
                    || trimmed.matches("\\^+");
            if (trimmed.isEmpty() || excerpt || trimmed.startsWith("in '")) {
                continue;
            }
            sentences.add(trimmed);
        }
        if (sentences.isEmpty()) {
            return message.lines().findFirst().orElse("malformed YAML").strip();
        }
        String problem = sentences.get(sentences.size() - 1);
        if (sentences.size() > 1) {
            // The context's position tells where the unclosed construct began, which is often
            // where the fix goes (a missing '}' belongs to the mapping opened there).
            Matcher contextMark = SNAKEYAML_MARK.matcher(message);
            String where = contextMark.find() ? " that starts at " + contextMark.group(1) + ":"
                    + contextMark.group(2) : "";
            problem += " (" + sentences.get(0) + where + ")";
        }
        return problem;
    }
}
