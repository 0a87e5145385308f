package org.snnc.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --param k=v}, repeatable: overrides a network parameter's default. */
public final class ParamOptions {

    @Option(names = "--param", paramLabel = "NAME=VALUE", mapFallbackValue = "",
            description = "Set a network parameter, e.g. --param size=32 (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    public Map<String, String> values() {
        return params;
    }
}
