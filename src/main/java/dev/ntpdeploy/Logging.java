package dev.ntpdeploy;


/**
 * The one logging setup: configures slf4j-simple before the first logger exists (its settings are read once, from
 * system properties): quiet by default, libraries (sshj) silent; {@code -v}/{@code --verbose} raises them.
 * Logs go to stderr; results go to stdout. A property already set (-D on the java command line) wins.
 */
public final class Logging {


    private Logging() {
    }

    /** From the command line, before picocli parses it (parsing may already log). */
    static void configure(String[] args) {
        configure(verbosity(args));
    }

    /** How many times -v was given: --verbose and -v count one, -vv two, -vvv three (ansible's forms). */
    static int verbosity(String[] args) {
        int level = 0;
        for (String a : args) {
            if (a.equals("--")) {
                break;
            }
            if (a.equals("--verbose")) {
                level++;
            } else if (a.matches("-v+")) {
                level += a.length() - 1;
            }
        }
        return level;
    }

    /** Call before the first logger is created (tests that open SSH connections call it in a static block). */
    public static void configure(boolean verbose) {
        configure(verbose ? 1 : 0);
    }

    /**
     * 0: warnings only; 1: ntpdeploy's progress and sshj's info; 2 and more: sshj's debug too. Never sshj's trace,
     * whatever the level: it prints packets, and a packet may carry a password.
     */
    static void configure(int level) {
        String ssh = level >= 2 ? "debug" : level == 1 ? "info" : "off";
        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", level > 0 ? "debug" : "warn");
        setDefault("org.slf4j.simpleLogger.log.net.schmizz", ssh);
        setDefault("org.slf4j.simpleLogger.log.com.hierynomus", ssh);
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
