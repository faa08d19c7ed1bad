package dev.ntpdeploy.ops;

import dev.ntpdeploy.facts.Shell;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.ExecResult;
import dev.ntpdeploy.transport.RemoteCommand;
import dev.ntpdeploy.transport.RemoteFiles;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/** {@link FileInstaller} over the transport's atomic install (one privileged round trip each). */
public final class RemoteFilesInstaller implements FileInstaller {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Override
    public Optional<String> install(Connection c, PutFile f, int keepBackups) throws IOException {
        return RemoteFiles.install(c, f.path(), f.content(), f.mode(), f.owner(), f.group(), keepBackups > 0,
                Math.max(1, keepBackups));
    }

    /** Copies the backup to a temp file beside the target ({@code cp -p}: its mode and owner) and renames it over. */
    @Override
    public void restore(Connection c, String path, String backupPath) throws IOException {
        String cmd = Shell.PATH_PREFIX + """
                set -e
                f=%s
                b=%s
                t=$(mktemp "$(dirname "$f")/.ntpdeploy.XXXXXX")
                trap 'rm -f "$t"' EXIT
                cp -p -- "$b" "$t"
                mv -f -- "$t" "$f"
                trap - EXIT
                echo "RESTORED=1"
                """.formatted(RemoteCommand.quote(path), RemoteCommand.quote(backupPath));
        ExecResult r = c.execPrivileged(cmd, null, TIMEOUT);
        if (!r.ok() || !r.stdout().contains("RESTORED=1")) {
            String why = r.stderr().strip().lines().findFirst().orElse("no error output");
            throw new IOException("restoring " + path + " from " + backupPath + " failed (exit " + r.exitCode() + "): " + why);
        }
    }
}
