package org.snnc.compiler.ir;

/** Where in the source a node came from, kept as plain data so the IR holds no source objects. */
public record Origin(String file, int line, int column) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
