package dev.ntpdeploy.cli;

import dev.ntpdeploy.Durations;
import java.time.Duration;
import picocli.CommandLine;

/**
 * Reads every duration option in the one grammar of {@link Durations} (90, 90s, 5m, 1h30m, 1d), longer than zero;
 * a bad value is a usage error naming the forms.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Durations.parsePositive(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** The same grammar, where 0 has a meaning ({@code --sync-timeout 0}: judge at once, do not wait). */
    public static final class ZeroAllowed implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
