package dev.ntpdeploy.ops;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.util.ArrayList;
import java.util.List;

/** Unified diffs of a host's config, labelled {@code a/<path>} and {@code b/<path>} with the host name. */
public final class UnifiedDiff {

    private static final int CONTEXT = 3;

    private UnifiedDiff() {
    }

    /**
     * @param current the host's file, or null when it does not exist
     * @return the diff text (ending in a newline), or "" when the contents are equal
     */
    public static String of(String host, String path, String current, String desired) {
        List<String> before = current == null ? List.of() : lines(current);
        List<String> after = lines(desired);
        Patch<String> patch = DiffUtils.diff(before, after);
        if (patch.getDeltas().isEmpty()) {
            return "";
        }
        String rel = path.startsWith("/") ? path.substring(1) : path;
        String from = current == null ? "/dev/null" : "a/" + rel + "\t" + host + " (on host)";
        String to = "b/" + rel + "\t" + host + " (rendered)";
        List<String> out = new ArrayList<>(UnifiedDiffUtils.generateUnifiedDiff(from, to, before, patch, CONTEXT));
        if (before.isEmpty() && out.size() > 2 && out.get(2).startsWith("@@ -1,0 ")) {
            // diff-utils numbers an empty original from 1; GNU diff and patch expect "-0,0"
            out.set(2, "@@ -0,0 " + out.get(2).substring("@@ -1,0 ".length()));
        }
        if (current != null && !current.isEmpty() && !current.endsWith("\n")) {
            out.add("\\ No newline at end of file (on host)");
        }
        return String.join("\n", out) + "\n";
    }

    private static List<String> lines(String s) {
        // split keeps a trailing empty string after the final newline: drop it, it is not a line
        List<String> all = List.of(s.split("\n", -1));
        return s.isEmpty() ? List.of() : s.endsWith("\n") ? all.subList(0, all.size() - 1) : all;
    }
}
