package dev.ntpdeploy.facts;

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
}
