package org.snnc.cli;

/** {@code --format}: human text, or exactly one JSON object on stdout. */
public enum OutputFormat {
    text,
    json
}
