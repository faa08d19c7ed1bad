package dev.ntpdeploy;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * What one in-process run of the command line left: its exit code and what it wrote through picocli's writers.
 * The tests of commands, usage errors and refusals before any connection use it (no lab, no process).
 */
public record CliRun(int code, String out, String err) {

    /** Runs {@code ntpdeploy ARGS} in this JVM, as {@code bin/ntpdeploy} would. */
    public static CliRun run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
