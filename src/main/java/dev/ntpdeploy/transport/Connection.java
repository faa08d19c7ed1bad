package dev.ntpdeploy.transport;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/**
 * An open session to one host: the small contract every remote step is written against
 * (pyinfra's connector, Ansible's connection plugin). One per host per run.
 *
 * <p>Commands are POSIX shell text; the implementation runs them as
 * {@code LC_ALL=C timeout -k 5 <secs> sh -c '<command>'} so a hung command never outlives its budget.
 * Privileged commands go through {@code sudo -S -p ''} when the host's inventory asks for become.
 */
public interface Connection extends Closeable {

    /** Inventory name of the host this connection reaches. */
    String host();

    /** Runs a command as the login user; stdin may be null. */
    ExecResult exec(String command, byte[] stdin, Duration timeout) throws IOException;

    /** Runs a command as root (directly when logged in as root, else through sudo). */
    ExecResult execPrivileged(String command, byte[] stdin, Duration timeout) throws IOException;

    /**
     * Still connected and logged in, so worth using again later (watch keeps its connections between rounds).
     * In-memory connections are usable until closed, which their tests decide.
     */
    default boolean isUsable() {
        return true;
    }

    @Override
    void close();
}
