package dev.ntpdeploy.cli;

import picocli.CommandLine.Option;

/**
 * -v/--verbose and --stacktrace, for every command. Main reads them from the parse result (it
 * prints stack traces) and before parsing (logging is configured before any logger exists).
 */
public final class VerbosityOptions {

    @Option(names = {"-v", "--verbose"}, description = "Log progress and library messages to stderr; print stack traces.")
    boolean verbose;

    @Option(names = "--stacktrace", description = "Print the stack trace of an error (for bug reports).")
    boolean stacktrace;

    public boolean verbose() {
        return verbose;
    }
}
