package dev.ntpdeploy;

import java.util.Arrays;
import java.util.List;

/**
 * Configures slf4j-simple before the first logger exists (its settings are read once, from system
 * properties): quiet by default, libraries (sshj) silent; {@code -v}/{@code --verbose} raises them.
 * Logs go to stderr; results go to stdout.
 */
final class Logging {

    private static final List<String> VERBOSE = List.of("-v", "--verbose");

    private Logging() {
    }

    static void configure(String[] args) {
        boolean verbose = Arrays.stream(args).anyMatch(VERBOSE::contains);
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
