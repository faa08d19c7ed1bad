package dev.ntpdeploy.cli;

import picocli.CommandLine.Option;

/**
 * -v/--verbose and --stacktrace, for every command. Main reads them from the parse result (it
 * prints stack traces) and before parsing (logging is configured before any logger exists).
 */
public final class VerbosityOptions {

    @Option(names = {"-v", "--verbose"}, description = "Log progress and library messages to stderr and print stack traces;"
            + " -vv (or more, as ansible takes them) adds the SSH library's debug messages.")
    boolean[] verbose = new boolean[0];

    @Option(names = "--stacktrace", description = "Print the stack trace of an error (for bug reports).")
    boolean stacktrace;

    public boolean verbose() {
        return verbose.length > 0;
    }
}
