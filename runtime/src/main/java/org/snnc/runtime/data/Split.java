package org.snnc.runtime.data;

/** Which part of a data set. */
public enum Split {
    TRAIN("train"),
    VAL("val");

    private final String keyword;

    Split(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }
}
