package dev.ntpdeploy.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How long to wait for the fleet to sync (apply's verification, {@code verify --wait}): {@code @Mixin SyncOptions sync;}. */
public final class SyncOptions {

    @Option(names = "--sync-timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long to wait for every host to sync (e.g. 90s, 5m; a bare number is seconds;"
                    + " default: ${DEFAULT-VALUE}). Hosts still starting or syncing then count as not in sync.")
    Duration syncTimeout;

    public Duration syncTimeout() {
        return syncTimeout;
    }

    /** {@code 300}, {@code 300s}, {@code 5m}, {@code 1h}, {@code 1m30s}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern FORM = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s?)?");

        @Override
        public Duration convert(String value) {
            Matcher m = FORM.matcher(value.strip().toLowerCase(Locale.ROOT));
            if (value.isBlank() || !m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 90s, 5m, 1h)");
            }
            long s = 0;
            s += m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 3600;
            s += m.group(2) == null ? 0 : Long.parseLong(m.group(2)) * 60;
            s += m.group(3) == null ? 0 : Long.parseLong(m.group(3));
            return Duration.ofSeconds(s);
        }
    }
}
