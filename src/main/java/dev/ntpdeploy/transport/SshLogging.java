package dev.ntpdeploy.transport;

/**
 * Keeps sshj quiet: it logs every handshake at INFO through slf4j-simple. Call before the first logger
 * is created (first thing in Main); {@code -v} lets its warnings and details through.
 */
public final class SshLogging {

    private SshLogging() {
    }

    public static void configure(boolean verbose) {
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        String sshj = verbose ? "debug" : "off";
        setDefault("org.slf4j.simpleLogger.log.net.schmizz", sshj);
        setDefault("org.slf4j.simpleLogger.log.com.hierynomus", sshj);
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
