package dev.ntpdeploy.ops;

import dev.ntpdeploy.facts.Shell;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.ExecResult;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link FileInstaller} in one privileged round trip: content on stdin into a temp file in the
 * target's directory, chmod/chown, optional timestamped backup (pruned to the newest N), then
 * {@code mv -f} over the target (rename is atomic; a reader sees the old or the new file, never half).
 */
public final class ShellFileInstaller implements FileInstaller {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Override
    public Optional<String> install(Connection c, PutFile f, int keepBackups) throws IOException {
        String cmd = Shell.PATH_PREFIX + """
                set -e
                f=%s
                d=$(dirname "$f")
                mkdir -p "$d"
                t=$(mktemp "$d/.ntpdeploy.XXXXXX")
                trap 'rm -f "$t"' EXIT
                cat > "$t"
                chmod %s "$t"
                chown %s "$t"
                keep=%d
                if [ "$keep" -gt 0 ] && [ -f "$f" ]; then
                  b="$f.ntpdeploy-$(date +%%Y%%m%%dT%%H%%M%%S%%N)"
                  cp -p "$f" "$b"
                  echo "BACKUP=$b"
                  ls -1 "$f".ntpdeploy-* 2>/dev/null | sort -r | tail -n +$((keep + 1)) | while read -r old; do rm -f "$old"; done
                fi
                mv -f "$t" "$f"
                trap - EXIT
                echo "INSTALLED=1"
                """.formatted(Shell.quote(f.path()), Shell.quote(f.mode()),
                Shell.quote(f.owner() + ":" + f.group()), keepBackups);
        ExecResult r = c.execPrivileged(cmd, f.content(), TIMEOUT);
        if (!r.ok() || !r.stdout().contains("INSTALLED=1")) {
            throw new IOException("installing " + f.path() + " failed (exit " + r.exitCode() + "): " + firstLine(r));
        }
        return r.stdout().lines().filter(l -> l.startsWith("BACKUP=")).map(l -> l.substring(7).strip()).findFirst();
    }

    @Override
    public void restore(Connection c, String path, String backupPath) throws IOException {
        String cmd = Shell.PATH_PREFIX + """
                set -e
                f=%s
                b=%s
                t=$(mktemp "$(dirname "$f")/.ntpdeploy.XXXXXX")
                trap 'rm -f "$t"' EXIT
                cp -p "$b" "$t"
                mv -f "$t" "$f"
                trap - EXIT
                echo "RESTORED=1"
                """.formatted(Shell.quote(path), Shell.quote(backupPath));
        ExecResult r = c.execPrivileged(cmd, null, TIMEOUT);
        if (!r.ok() || !r.stdout().contains("RESTORED=1")) {
            throw new IOException("restoring " + path + " from " + backupPath + " failed (exit " + r.exitCode()
                    + "): " + firstLine(r));
        }
    }

    private static String firstLine(ExecResult r) {
        String s = r.stderr().isBlank() ? r.stdout() : r.stderr();
        return s.lines().filter(l -> !l.isBlank()).findFirst().orElse("no output").strip();
    }
}
