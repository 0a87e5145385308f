package org.snnc.compiler.program;

/** A program file that cannot be read: wrong magic or version, truncated, corrupt or inconsistent. */
public final class ProgramFormatException extends Exception {

    private final String section;

    /**
     * @param section the four-letter section the problem is in, or {@code "file"} for the file as
     *                a whole (magic, version, trailer)
     */
    public ProgramFormatException(String section, String message) {
        super(message);
        this.section = section;
    }

    public String section() {
        return section;
    }
}
