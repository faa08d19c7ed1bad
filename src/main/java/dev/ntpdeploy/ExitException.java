package dev.ntpdeploy;

/**
 * Ends a command with a given exit code and a one-line message for the operator (no stack trace unless asked):
 * the one exception type that carries an exit code. Main maps it, like every other exception, in {@link Exit#of}.
 */
public final class ExitException extends Exception {

    private final Exit exit;

    public ExitException(Exit exit, String message) {
        super(message);
        this.exit = exit;
    }

    public Exit exit() {
        return exit;
    }
}
