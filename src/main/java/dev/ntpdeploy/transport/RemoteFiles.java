package dev.ntpdeploy.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and atomically replaces files on a host, each in ONE privileged round trip. The new content
 * goes to a private temp file in the target's directory and is renamed over the target, so readers
 * see the old file or the new one, never a half-written one.
 */
public final class RemoteFiles {

    private static final Pattern MODE = Pattern.compile("[0-7]{3,4}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*\\$?");
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

    /**
     * Installs {@code content} at {@code path} with mode and owner, atomically.
     *
     * @param backup      copy the current file to {@code path.ntpdeploy-YYYYmmddTHHMMSS} first (if it exists)
     * @param keepBackups how many of those backups to keep (the newest)
     * @return the backup made, if any
     * @throws RemoteFileException when the remote side failed (the target is then untouched)
     */
    public static Optional<String> install(Connection c, String path, byte[] content, String mode, String owner,
                                           String group, boolean backup, int keepBackups) throws IOException {
        ExecResult r = c.execPrivileged(installScript(path, mode, owner, group, backup, keepBackups), content, TIMEOUT);
        if (!r.ok()) {
            throw new RemoteFileException(c.host() + ": installing " + path + " failed: " + firstLine(r.stderr()));
        }
        for (String line : r.stdout().split("\n")) {
            if (line.startsWith("backup=")) {
                String b = line.substring("backup=".length());
                return b.isEmpty() ? Optional.empty() : Optional.of(b);
            }
        }
        throw new RemoteFileException(c.host() + ": installing " + path + ": no confirmation from the host");
    }

    static String installScript(String path, String mode, String owner, String group, boolean backup, int keepBackups) {
        if (!path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("not an absolute file path: " + path);
        }
        if (!MODE.matcher(mode).matches()) {
            throw new IllegalArgumentException("bad file mode: " + mode);
        }
        if (!NAME.matcher(owner).matches() || !NAME.matcher(group).matches()) {
            throw new IllegalArgumentException("bad owner/group: " + owner + ":" + group);
        }
        if (keepBackups < 1) {
            throw new IllegalArgumentException("keepBackups must be at least 1");
        }
        String dir = path.substring(0, path.lastIndexOf('/'));
        StringBuilder s = new StringBuilder();
        s.append("set -e\n")
                .append("target=").append(RemoteCommand.quote(path)).append('\n')
                .append("dir=").append(RemoteCommand.quote(dir.isEmpty() ? "/" : dir)).append('\n')
                .append("umask 077\n")
                .append("tmp=\n")
                .append("trap 'if [ -n \"$tmp\" ]; then rm -f -- \"$tmp\"; fi' EXIT\n")
                .append("trap 'exit 129' HUP INT TERM\n")
                .append("tmp=$(mktemp \"$dir/.ntpdeploy.XXXXXX\")\n")
                .append("cat > \"$tmp\"\n")
                .append("chmod ").append(mode).append(" \"$tmp\"\n")
                .append("chown ").append(RemoteCommand.quote(owner + ":" + group)).append(" \"$tmp\"\n")
                .append("backup=\n");
        if (backup) {
            s.append("if [ -e \"$target\" ]; then\n")
                    .append("  backup=\"$target.ntpdeploy-$(date +%Y%m%dT%H%M%S)\"\n")
                    .append("  cp -p -- \"$target\" \"$backup\"\n")
                    .append("  set -- \"$target\".ntpdeploy-[0-9]*\n")
                    .append("  n=$(( $# - ").append(keepBackups).append(" ))\n")
                    .append("  while [ \"$n\" -gt 0 ]; do rm -f -- \"$1\"; shift; n=$((n - 1)); done\n")
                    .append("fi\n");
        }
        s.append("mv -f -- \"$tmp\" \"$target\"\n")
                .append("tmp=\n")
                .append("printf 'backup=%s\\n' \"$backup\"\n");
        return s.toString();
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
