package dev.ntpdeploy.facts;

import java.util.OptionalLong;

/**
 * The one rule for "the running daemon never read its config file": the file changed after the daemon started.
 * Both ages are seconds before the same moment on the host (its {@code date +%s} against the file's mtime, and
 * {@code ps -o etimes=}), so the host's clock is compared only with itself. Whole seconds make a change within
 * the daemon's first second invisible, and never flag a daemon started after the change. A file dated in the
 * future (the clock was stepped back since) says nothing either way: not judged.
 */
public final class ConfigAge {

    private ConfigAge() {
    }

    /**
     * @param fileAgeSeconds   now minus the file's mtime, on the host
     * @param daemonAgeSeconds how long the daemon has run
     * @return true when the file changed after the daemon started; false when it did not or it cannot be told
     */
    public static boolean changedAfterStart(OptionalLong fileAgeSeconds, OptionalLong daemonAgeSeconds) {
        if (fileAgeSeconds.isEmpty() || daemonAgeSeconds.isEmpty()) {
            return false;
        }
        long file = fileAgeSeconds.getAsLong();
        return file >= 0 && file < daemonAgeSeconds.getAsLong();
    }
}
