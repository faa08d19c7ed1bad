package dev.ntpdeploy.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads files on a host in ONE privileged round trip. (Files are installed by apply's change unit,
 * {@code dev.ntpdeploy.ops.ChangeUnit}: complete, under the host's lock, compare-and-swap.)
 */
public final class RemoteFiles {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private RemoteFiles() {
    }

    /** A remote file as read: {@code exists == false} means absent (the other fields are then empty). */
    public record RemoteFile(boolean exists, String content, String sha256, String mode, String owner, String group) {

        static RemoteFile absent() {
            return new RemoteFile(false, "", "", "", "", "");
        }
    }

    /** Thrown when the remote command failed (not the connection): the message names host, path and the error. */
    public static final class RemoteFileException extends IOException {
        public RemoteFileException(String message) {
            super(message);
        }
    }

    /**
     * Reads content, SHA-256, octal mode and owner/group of a file (as root).
     *
     * @throws RemoteFileException when it exists but cannot be read
     */
    public static RemoteFile read(Connection c, String path) throws IOException {
        ExecResult r = c.execPrivileged(readScript(path), null, TIMEOUT);
        if (!r.ok()) {
            throw new RemoteFileException(c.host() + ": cannot read " + path + ": " + firstLine(r.stderr()));
        }
        return parseRead(r.stdout());
    }

    static String readScript(String path) {
        String p = RemoteCommand.quote(path);
        return "p=" + p + "\n"
                + "if [ ! -e \"$p\" ]; then echo absent; exit 0; fi\n"
                + "set -e\n"
                + "meta=$(stat -c '%a %U %G' -- \"$p\")\n"
                + "sum=$(sha256sum < \"$p\")\n"
                + "printf 'present %s %s\\n' \"$meta\" \"${sum%% *}\"\n"
                + "cat -- \"$p\"\n";
    }

    static RemoteFile parseRead(String out) throws RemoteFileException {
        int nl = out.indexOf('\n');
        String head = nl < 0 ? out : out.substring(0, nl);
        if (head.equals("absent")) {
            return RemoteFile.absent();
        }
        String[] f = head.split(" ");
        if (f.length != 5 || !f[0].equals("present")) {
            throw new RemoteFileException("unexpected reply while reading a file: " + head);
        }
        return new RemoteFile(true, out.substring(nl + 1), f[4], f[1], f[2], f[3]);
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return t.isEmpty() ? "(no error output)" : nl < 0 ? t : t.substring(0, nl);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
