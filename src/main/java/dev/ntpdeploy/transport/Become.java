package dev.ntpdeploy.transport;

import dev.ntpdeploy.inventory.ConnectionSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Running a step as root (Ansible's become) over a logged-in session: when it is needed at all, the sudo wrapper,
 * the become password fed on stdin, and sudo's own refusals told apart from the command's failures. A refusal is a
 * {@link BecomeException}, never a transport failure. The transport only runs the text it is given
 * ({@link Runner}), so this is unit-tested without a host.
 */
public final class Become {

    /** Runs shell text on the host as the login user (the transport's exec with its remote timeout). */
    @FunctionalInterface
    public interface Runner {
        ExecResult run(String command, byte[] stdin, Duration timeout) throws IOException;
    }

    private final String host;
    private final ConnectionSpec spec;
    private final Credentials credentials;

    Become(String host, ConnectionSpec spec, Credentials credentials) {
        this.host = host;
        this.spec = spec;
        this.credentials = credentials;
    }

    /**
     * Runs {@code command} as the become user (root unless ansible_become_user says otherwise): directly when the
     * login user already is that user, else through sudo.
     *
     * @throws BecomeException sudo refused (or become is needed but not configured): the host is failed
     * @throws IOException     the transport failed
     */
    public ExecResult exec(Runner runner, String command, byte[] stdin, Duration timeout) throws IOException {
        if (spec.user().equals(spec.become() ? spec.becomeUser() : "root")) {
            return runner.run(command, stdin, timeout);
        }
        if (!spec.become()) {
            throw new BecomeException(host + ": this step needs root, but ansible_user is " + spec.user()
                    + ": log in as root or set ansible_become: true for this host");
        }
        char[] password = credentials.becomePassword();
        byte[] input = stdin;
        try {
            if (password != null) {
                input = withPasswordLine(password, stdin);
            }
            ExecResult r = runner.run(sudo(command, spec.becomeUser(), password != null), input, timeout);
            Optional<String> refusal = refusal(r, spec.user(), spec.becomeUser());
            if (refusal.isPresent()) {
                throw new BecomeException(host + ": " + refusal.get());
            }
            return r;
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
                Arrays.fill(input, (byte) 0);
            }
        }
    }

    /**
     * Runs {@code inner} (shell text) as {@code becomeUser} through sudo without a PTY.
     *
     * <p>With a password, the caller sends it as the first stdin line. sudo only reads it when it
     * actually prompts, so a NOPASSWD rule or cached credentials would otherwise hand that line to the
     * command (and e.g. write it into an installed file). The wrapper asks {@code sudo -n true} first and,
     * when no password is needed, discards the first line itself before running the command; else
     * {@code sudo -S -p ''} reads it (byte by byte, leaving the rest of stdin to the command).
     * Without a password, {@code sudo -n} fails fast with "a password is required" instead of waiting.
     */
    public static String sudo(String inner, String becomeUser, boolean withPassword) {
        String u = RemoteCommand.quote(becomeUser);
        // sudo's env_reset may drop LC_ALL: set it again on the far side
        String run = " -u " + u + " -- sh -c " + RemoteCommand.quote("LC_ALL=C; export LC_ALL; " + inner);
        if (!withPassword) {
            return "sudo -n" + run;
        }
        return "if sudo -n -u " + u + " true 2>/dev/null; then IFS= read -r ntpdeploy_pw || :; unset ntpdeploy_pw; exec sudo -n" + run
                + "; else exec sudo -S -p ''" + run + "; fi";
    }

    /** The sudo password as the first stdin line, then the caller's stdin (sudo -S reads just that line). */
    static byte[] withPasswordLine(char[] password, byte[] stdin) {
        java.nio.ByteBuffer enc = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
        int pwLen = enc.remaining();
        int rest = stdin == null ? 0 : stdin.length;
        byte[] out = new byte[pwLen + 1 + rest];
        enc.get(out, 0, pwLen);
        if (enc.hasArray()) {
            Arrays.fill(enc.array(), (byte) 0);
        }
        out[pwLen] = '\n';
        if (stdin != null) {
            System.arraycopy(stdin, 0, out, pwLen + 1, rest);
        }
        return out;
    }

    /** Recognises sudo's own refusals (never the command's output) and says what to do; empty when sudo ran it. */
    static Optional<String> refusal(ExecResult r, String user, String becomeUser) {
        if (r.exitCode() == 0) {
            return Optional.empty();
        }
        String err = r.stderr();
        String who = user + " -> " + becomeUser;
        // a wrong password also ends in "no password was provided" once stdin runs dry: check it first
        if (err.contains("incorrect password attempt") || err.startsWith("Sorry, try again")
                || err.contains("\nSorry, try again")) {
            return Optional.of("sudo (" + who + ") rejected the become password (" + Credentials.ENV_BECOME_PASSWORD
                    + " / --ask-become-pass)");
        }
        if (err.contains("sudo: a password is required") || err.contains("sudo: no password was provided")) {
            return Optional.of("sudo (" + who + ") needs a password: set " + Credentials.ENV_BECOME_PASSWORD
                    + " or pass --ask-become-pass");
        }
        if (err.contains("is not in the sudoers file") || err.contains("is not allowed to execute")
                || err.contains("may not run sudo")) {
            return Optional.of("sudo (" + who + ") is not allowed for this user: fix sudoers on the host or"
                    + " ansible_become_user");
        }
        if (err.contains("sudo: sorry, you must have a tty to run sudo")) {
            return Optional.of("sudo (" + who + ") requires a tty (Defaults requiretty): drop requiretty for this user"
                    + " in sudoers (ntpdeploy runs without a pty)");
        }
        if (err.contains("sudo: command not found") || err.contains("sudo: not found")) {
            return Optional.of("ansible_become is set but sudo is not installed on the host");
        }
        return Optional.empty();
    }
}
