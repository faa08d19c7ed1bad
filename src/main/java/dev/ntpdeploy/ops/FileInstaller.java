package dev.ntpdeploy.ops;

import dev.ntpdeploy.transport.Connection;
import java.io.IOException;
import java.util.Optional;

/** Installs a file on a host atomically (same-directory temp + mv -f), optionally keeping a backup. */
public interface FileInstaller {

    /**
     * @param keepBackups 0 for no backup, else how many timestamped backups to keep beside the file
     * @return the backup path written, if any
     */
    Optional<String> install(Connection connection, PutFile file, int keepBackups) throws IOException;

    /** Puts a backup written by {@link #install} back in place, atomically, keeping its mode and owner. */
    void restore(Connection connection, String path, String backupPath) throws IOException;
}
