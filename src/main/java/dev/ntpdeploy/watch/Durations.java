package dev.ntpdeploy.watch;

import java.time.Duration;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints the operator's durations: {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}, or combined {@code 1h30m}. */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d{1,9})([smhd])");

    private Durations() {
    }

    /** @throws IllegalArgumentException with a one-line message that shows the accepted forms */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
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
                    + "': use a number with a unit s, m, h or d, e.g. 30s, 5m, 1h, 1h30m");
        }
        if (total.isZero()) {
            throw new IllegalArgumentException("invalid duration '" + text + "': must be longer than 0s");
        }
        return total;
    }

    /** The shortest combined form, the inverse of {@link #parse}: 90s -> "1m30s", 3600s -> "1h". Sub-second parts are dropped. */
    public static String format(Duration d) {
        return d.getSeconds() == 0 ? "0s" : format(d, new String[] {"d", "h", "m", "s"}, "");
    }

    /**
     * Whole days, hours, minutes and seconds of {@code d}, the non-zero ones, each followed by its unit word
     * ({@code units}: day, hour, minute, second), joined by {@code separator}.
     */
    static String format(Duration d, String[] units, String separator) {
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
