package dev.ntpdeploy.engine;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the operator asked apply to do.
 *
 * @param limit        --limit pattern ("all" when not given)
 * @param dryRun       plan and show the diffs only: execute is never called
 * @param keepBackups  timestamped backups kept beside the config (0 = --no-backup)
 * @param probeTimeout budget of the probe command per host
 */
public record ApplyRequest(Path inventory, Path templates, String limit, int forks, boolean dryRun,
                           int keepBackups, Duration probeTimeout) {
}
