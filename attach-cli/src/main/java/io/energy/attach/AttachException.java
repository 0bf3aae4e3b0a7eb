package io.energy.attach;

/** An answer for the user, with the exit code it ends the CLI with. */
final class AttachException extends Exception {
    private final int exitCode;

    AttachException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
