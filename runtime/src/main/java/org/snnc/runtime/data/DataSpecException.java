package org.snnc.runtime.data;

/** A {@code --data} spec that cannot be used; the message names the key or the problem. */
public final class DataSpecException extends RuntimeException {

    public DataSpecException(String message) {
        super(message);
    }
}
