package dev.ntpdeploy;

import java.time.Duration;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar of the operator's durations, for every option that takes one ({@code --every}, {@code --sync-timeout},
 * {@code --timeout}, {@code --command-timeout}, {@code --on-change-timeout}): a bare number of seconds ({@code 90}),
 * or numbers with a unit s, m, h or d, combined ({@code 90s}, {@code 5m}, {@code 1h30m}, {@code 1d}); and its printer.
 */
public final class Durations {

    /** What an error shows as the accepted forms. */
    public static final String FORMS = "90, 90s, 5m, 1h30m, 1d";

    private static final Pattern SECONDS = Pattern.compile("\\d{1,9}");
    private static final Pattern PART = Pattern.compile("(\\d{1,9})([smhd])");

    private Durations() {
    }

    /**
     * A duration of zero or more; {@link #parsePositive} for options where zero means nothing.
     *
     * @throws IllegalArgumentException with a one-line message that shows the accepted forms
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (SECONDS.matcher(s).matches()) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        Matcher m = PART.matcher(s);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            end = m.end();
        }
        if (s.isEmpty() || end != s.length()) {
            throw new IllegalArgumentException("invalid duration '" + text
                    + "': use seconds, or a number with a unit s, m, h or d (e.g. " + FORMS + ")");
        }
        return total;
    }

    /** As {@link #parse}, refusing zero. */
    public static Duration parsePositive(String text) {
        Duration d = parse(text);
        if (d.isZero()) {
            throw new IllegalArgumentException("invalid duration '" + text + "': must be longer than 0s");
        }
        return d;
    }

    /** The shortest combined form, the inverse of {@link #parse}: 90s -> "1m30s", 3600s -> "1h". Sub-second parts are dropped. */
    public static String format(Duration d) {
        return d.getSeconds() == 0 ? "0s" : format(d, new String[] {"d", "h", "m", "s"}, "");
    }

    /**
     * Whole days, hours, minutes and seconds of {@code d}, the non-zero ones, each followed by its unit word
     * ({@code units}: day, hour, minute, second), joined by {@code separator}.
     */
    public static String format(Duration d, String[] units, String separator) {
        long secs = d.getSeconds();
        long[] sizes = {86_400, 3_600, 60, 1};
        StringJoiner parts = new StringJoiner(separator);
        for (int i = 0; i < sizes.length; i++) {
            if (secs >= sizes[i]) {
                parts.add(secs / sizes[i] + units[i]);
                secs %= sizes[i];
            }
        }
        return parts.toString();
    }
}
