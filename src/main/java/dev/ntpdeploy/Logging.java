package dev.ntpdeploy;

import java.util.Arrays;
import java.util.List;

/**
 * The one logging setup: configures slf4j-simple before the first logger exists (its settings are read once, from
 * system properties): quiet by default, libraries (sshj) silent; {@code -v}/{@code --verbose} raises them.
 * Logs go to stderr; results go to stdout. A property already set (-D on the java command line) wins.
 */
public final class Logging {

    private static final List<String> VERBOSE = List.of("-v", "--verbose");

    private Logging() {
    }

    /** From the command line, before picocli parses it (parsing may already log). */
    static void configure(String[] args) {
        configure(Arrays.stream(args).anyMatch(VERBOSE::contains));
    }

    /** Call before the first logger is created (tests that open SSH connections call it in a static block). */
    public static void configure(boolean verbose) {
        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "warn");
        setDefault("org.slf4j.simpleLogger.log.net.schmizz", verbose ? "info" : "off");
        setDefault("org.slf4j.simpleLogger.log.com.hierynomus", verbose ? "info" : "off");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
