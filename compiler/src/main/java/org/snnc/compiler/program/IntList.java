package org.snnc.compiler.program;

import java.util.Arrays;

/**
 * A growable int array for building flat tables (CSR rows, runs, routes): callers read and patch
 * {@code data[0 .. size)} in place and take the final table with {@link #toArray()}.
 */
public final class IntList {
    public int[] data = new int[16];
    public int size;

    public void add(int v) {
        if (size == data.length) data = Arrays.copyOf(data, size * 2);
        data[size++] = v;
    }

    public int[] toArray() {
        return Arrays.copyOf(data, size);
    }
}
