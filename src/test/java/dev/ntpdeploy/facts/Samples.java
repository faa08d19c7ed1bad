package dev.ntpdeploy.facts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads blocks out of the captured samples in src/test/resources/ntpq-samples and chronyc-samples (provenance in each
 * file's header).
 */
public final class Samples {

    private Samples() {
    }

    public static String file(String name) {
        String dir = Samples.class.getResource("/ntpq-samples/" + name) != null ? "/ntpq-samples/" : "/chronyc-samples/";
        try (InputStream in = Samples.class.getResourceAsStream(dir + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The output printed after the {@code occurrence}-th (0-based) line containing {@code marker}, up to the
     * next "[exit status", "$ " command, "# ---" header or "--- " stream label.
     */
    public static String block(String name, String marker, int occurrence) {
        List<String> lines = List.of(file(name).split("\n", -1));
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker) && seen++ == occurrence) {
                List<String> out = new ArrayList<>();
                for (int j = i + 1; j < lines.size(); j++) {
                    String l = lines.get(j);
                    if (l.startsWith("[exit status") || l.startsWith("$ ") || l.startsWith("# ")
                            || l.startsWith("--- ")) {
                        break;
                    }
                    out.add(l);
                }
                return String.join("\n", out);
            }
        }
        throw new IllegalArgumentException(name + ": no occurrence " + occurrence + " of " + marker);
    }

    /**
     * The exit status printed after the {@code occurrence}-th line containing {@code marker} ("[exit status: N]"),
     * -1 when none follows before the next command.
     */
    public static int exitStatus(String name, String marker, int occurrence) {
        List<String> lines = List.of(file(name).split("\n", -1));
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker) && seen++ == occurrence) {
                for (int j = i + 1; j < lines.size() && !lines.get(j).startsWith("$ "); j++) {
                    if (lines.get(j).startsWith("[exit status: ")) {
                        return Integer.parseInt(lines.get(j).replaceAll("\\D", ""));
                    }
                }
                return -1;
            }
        }
        throw new IllegalArgumentException(name + ": no occurrence " + occurrence + " of " + marker);
    }

    /** The whole file without its '# ' provenance lines. */
    public static String body(String name) {
        return String.join("\n", file(name).lines().filter(l -> !l.startsWith("# ")).toList());
    }
}
