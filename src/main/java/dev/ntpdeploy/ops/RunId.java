package dev.ntpdeploy.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * Who is changing a host: this run's id, the controller's host name and pid, and when the run started. Written
 * into the host's lock file, so a second controller is told exactly which run holds the host; names the run's
 * state files on the host, so the next run can say which run a leftover report belongs to.
 *
 * @param id 12 lower-case hex digits, random per run
 */
public record RunId(String id, String controller, long pid, Instant started) {

    public RunId {
        if (!id.matches("[0-9a-f]{12}")) {
            throw new IllegalArgumentException("run id must be 12 hex digits: " + id);
        }
        // it lands on a host's shell command line and in a one-line lock file: letters, digits, '.', '-' only
        controller = controller.replaceAll("[^A-Za-z0-9.-]", "?");
        started = started.truncatedTo(ChronoUnit.SECONDS);
    }

    /** This process's run, started now. */
    public static RunId current() {
        byte[] b = new byte[6];
        new SecureRandom().nextBytes(b);
        return new RunId(HexFormat.of().formatHex(b), localHostName(), ProcessHandle.current().pid(), Instant.now());
    }

    /** The one line written into the host's lock file and at the top of the unit's report. */
    public String ownerLine() {
        return "run " + id + " of ntpdeploy on " + controller + " (pid " + pid + "), started " + started;
    }

    /** The kernel's host name (no DNS look-up: the network may resolve nothing). */
    private static String localHostName() {
        try {
            String n = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            return n.isEmpty() ? "unknown-host" : n;
        } catch (IOException | RuntimeException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "unknown-host" : env;
        }
    }
}
