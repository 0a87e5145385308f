package org.snnc.runtime.model;

/** A network, weights file or data set the trainer cannot use; the message says why, for the user. */
public final class ModelException extends RuntimeException {

    public ModelException(String message) {
        super(message);
    }
}
