package dev.ntpdeploy.engine;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the operator asked {@code play} to do.
 *
 * @param limit          --limit pattern ("all" when not given): every play runs on its hosts that it keeps
 * @param check          plan every batch and show the diffs; change nothing, run no gate
 * @param keepBackups    timestamped backups kept beside the config (0 = --no-backup)
 * @param commandTimeout budget of one remote command
 */
public record PlayRequest(Path playbook, Path inventory, Path templates, String limit, int forks, boolean check,
                          int keepBackups, Duration commandTimeout) {
}
