package io.energy.tools;

/** Input the tools cannot use: a missing folder or file, malformed JSON, a bad option. Exit status 2. */
public final class BadInput extends Exception {
    public BadInput(String message) {
        super(message);
    }
}
