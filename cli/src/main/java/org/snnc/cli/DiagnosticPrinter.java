package org.snnc.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import org.snnc.compiler.diag.Diagnostic;
import org.snnc.compiler.diag.Diagnostics;
import org.snnc.compiler.diag.Renderer;

/** Prints diagnostics for people (stderr) and as JSON objects (inside a command's one JSON result). */
final class DiagnosticPrinter {

    /** A file of binary junk can yield thousands; after this many the rest are counted, not shown. */
    static final int MAX_SHOWN = 50;

    private DiagnosticPrinter() {
    }

    static void print(Diagnostics diagnostics, PrintWriter err) {
        List<Diagnostic> all = diagnostics.sorted();
        int shown = 0;
        for (Diagnostic d : all) {
            if (shown++ == MAX_SHOWN) {
                err.println("... and " + (all.size() - MAX_SHOWN) + " more");
                break;
            }
            err.print(Renderer.render(d));
        }
        int errors = diagnostics.errorCount();
        int warnings = all.size() - errors;
        if (!all.isEmpty()) {
            err.println(plural(errors, "error") + ", " + plural(warnings, "warning"));
        }
        err.flush();
    }

    static void toJson(Diagnostics diagnostics, ArrayNode into) {
        for (Diagnostic d : diagnostics.sorted()) {
            ObjectNode o = into.addObject();
            o.put("file", d.span().source().displayName());
            o.put("line", d.span().line());
            o.put("column", d.span().column());
            o.put("severity", d.severity().label());
            o.put("code", d.code().id());
            o.put("message", d.message());
            ArrayNode help = o.putArray("help");
            d.help().forEach(help::add);
        }
    }

    static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
