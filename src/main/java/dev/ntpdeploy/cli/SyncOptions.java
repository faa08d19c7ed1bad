package dev.ntpdeploy.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How long to wait for the fleet to sync (apply's verification, {@code verify --wait}): {@code @Mixin SyncOptions sync;}. */
public final class SyncOptions {

    @Option(names = "--sync-timeout", paramLabel = "DURATION", defaultValue = "5m",
            converter = DurationConverter.ZeroAllowed.class,
            description = "How long to wait for every host to sync (e.g. 90, 90s, 5m; a bare number is seconds;"
                    + " default: ${DEFAULT-VALUE}). Hosts still starting or syncing then count as not in sync.")
    Duration syncTimeout;

    public Duration syncTimeout() {
        return syncTimeout;
    }
}
