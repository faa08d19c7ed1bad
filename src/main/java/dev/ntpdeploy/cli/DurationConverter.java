package dev.ntpdeploy.cli;

import dev.ntpdeploy.watch.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Reads --every and other durations: 30s, 5m, 1h, 1h30m (a bad one is a usage error naming the forms). */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
