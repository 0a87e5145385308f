package org.snnc.compiler.diag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Collects the diagnostics of one run. Stages keep going after an error where they can, so the
 * user sees every problem of a file at once; identical reports (same code, place and text) are
 * kept once because the same mistake can be reached along several paths through blocks.
 */
public final class Diagnostics {

    private final LinkedHashSet<Diagnostic> all = new LinkedHashSet<>();

    public void report(Code code, Span span, String message, String... help) {
        all.add(new Diagnostic(code, span, message, List.of(help)));
    }

    public void add(Diagnostic d) {
        all.add(d);
    }

    public boolean hasErrors() {
        for (Diagnostic d : all) {
            if (d.isError()) return true;
        }
        return false;
    }

    public int errorCount() {
        int n = 0;
        for (Diagnostic d : all) {
            if (d.isError()) n++;
        }
        return n;
    }

    public int size() {
        return all.size();
    }

    /** All diagnostics ordered by file, then line, then column; ties keep the order of reporting. */
    public List<Diagnostic> sorted() {
        List<Diagnostic> list = new ArrayList<>(all);
        list.sort(Comparator.comparing((Diagnostic d) -> d.span().source().displayName())
                .thenComparingInt(d -> d.span().line())
                .thenComparingInt(d -> d.span().column()));
        return Collections.unmodifiableList(list);
    }
}
