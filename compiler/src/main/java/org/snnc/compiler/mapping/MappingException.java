package org.snnc.compiler.mapping;

import java.util.List;
import java.util.stream.Collectors;

/** Every reason a network does not fit a target, found in one run. */
public final class MappingException extends RuntimeException {

    private final List<MappingError> errors;

    public MappingException(List<MappingError> errors) {
        super(errors.stream().map(MappingError::render).collect(Collectors.joining("\n")), null, false, false);
        if (errors.isEmpty()) throw new IllegalArgumentException("a MappingException needs at least one error");
        this.errors = List.copyOf(errors);
    }

    public List<MappingError> errors() {
        return errors;
    }
}
