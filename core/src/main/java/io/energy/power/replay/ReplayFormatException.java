package io.energy.power.replay;

/** A replay trace that cannot be used, with one message naming the file, the line and the accepted form. */
public final class ReplayFormatException extends Exception {
    public ReplayFormatException(String message) {
        super(message);
    }
}
