package dev.ntpdeploy.facts;

import dev.ntpdeploy.inventory.Excerpt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code KEY=value} line format the probe and the restart check print; other lines are ignored. */
final class KeyValueLines {

    private KeyValueLines() {
    }

    /** The pairs in output order (a key may repeat); the value is everything after the first '='. */
    static List<Map.Entry<String, String>> parse(String stdout) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String line : stdout.split("\n", -1)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.add(Map.entry(line.substring(0, eq), line.substring(eq + 1)));
            }
        }
        return out;
    }

    /**
     * A value that must be a decimal number from 0 to {@code max}.
     *
     * @param where what printed it and the key, for the message ("probe output: NTPD_PID")
     * @param what  what the number is ("a process id")
     * @throws IllegalArgumentException one line: where, what was expected and the value as messages quote values
     */
    static long number(String value, long max, String where, String what) {
        if (value.matches("\\d{1,18}") && Long.parseLong(value) <= max) {
            return Long.parseLong(value);
        }
        throw new IllegalArgumentException(where + " is not " + what + ": " + Excerpt.quote(value));
    }
}
