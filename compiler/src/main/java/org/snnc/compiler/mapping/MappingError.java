package org.snnc.compiler.mapping;

import java.util.List;
import org.snnc.compiler.ir.Origin;

/**
 * One reason a network does not fit a target.
 *
 * @param code    stable identifier, {@code MAP001}
 * @param origin  the source place of the layer concerned, or null when there is none
 * @param layer   IR name of the layer ({@code conv9}), or empty
 * @param message what does not fit: the limit, needed and available
 * @param help    the smallest changes that would fit, one per line
 */
public record MappingError(MapCode code, Origin origin, String layer, String message, List<String> help) {

    public MappingError {
        help = List.copyOf(help);
    }

    /** GNU style: {@code deeplab.snn:12:7: error[MAP001]: ...}, then {@code   help: ...} lines. */
    public String render() {
        StringBuilder b = new StringBuilder();
        if (origin != null) b.append(origin).append(": ");
        b.append("error[").append(code.id()).append("]: ").append(message);
        for (String h : help) b.append("\n  help: ").append(h);
        return b.toString();
    }
}
