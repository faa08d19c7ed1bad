package dev.ntpdeploy.report;

import dev.ntpdeploy.verify.Finding;
import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.Verdict;
import dev.ntpdeploy.verify.VerifyResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The human form of a verify result: one table row per host (host, role, verdict, peer, stratum, offset, reach)
 * with its findings (cause, fix, evidence) right under it, then the overall status line.
 */
public final class VerifyText {

    /** Evidence lines shown per finding: a table is read at a glance; JSON keeps every line. */
    static final int EVIDENCE_LINES = 8;

    private static final String[] HEADER = {"HOST", "ROLE", "VERDICT", "PEER", "STRATUM", "OFFSET", "REACH"};

    private VerifyText() {
    }

    /** @param evidence also print the host's output lines that back each finding */
    public static String render(VerifyResult result, boolean evidence) {
        return table(result, evidence) + summary(result) + "\n";
    }

    /** The table with each host's findings under it, without the status line (the long output of --format nagios). */
    static String table(VerifyResult result, boolean evidence) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (HostVerdict h : result.hosts()) {
            rows.add(new String[] {h.host(), h.role().word(), h.verdictText(), orDash(h.peer()),
                h.stratum() == null ? "-" : h.stratum().toString(),
                h.offsetMs() == null ? "-" : formatMs(h.offsetMs()),
                h.reach() == null ? "-" : Integer.toOctalString(h.reach())});
        }
        int[] width = new int[HEADER.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, rows.get(0), width);
        for (int i = 0; i < result.hosts().size(); i++) {
            line(out, rows.get(i + 1), width);
            for (Finding f : result.hosts().get(i).findings()) {
                out.append("    ").append(f.severity()).append(' ').append(f.code()).append(": ").append(f.message())
                        .append('\n');
                out.append("      fix: ").append(f.fix()).append('\n');
                if (evidence) {
                    f.evidence().stream().limit(EVIDENCE_LINES).forEach(e -> out.append("      | ").append(e)
                            .append('\n'));
                    if (f.evidence().size() > EVIDENCE_LINES) {
                        out.append("      | (").append(f.evidence().size() - EVIDENCE_LINES)
                                .append(" more lines: --format json has them all)\n");
                    }
                }
            }
        }
        return out.toString();
    }

    /** "status: CRITICAL - 3 of 5 hosts in sync (2 UNSYNCED)": the line a monitoring system shows. */
    public static String summary(VerifyResult result) {
        long good = result.hosts().stream().filter(h -> h.verdict() == Verdict.SERVING || h.verdict() == Verdict.SYNCED)
                .count();
        StringBuilder s = new StringBuilder("status: ").append(result.status()).append(" - ").append(good).append(" of ")
                .append(result.hosts().size()).append(" hosts in sync");
        List<String> others = new ArrayList<>();
        for (Verdict v : Verdict.values()) {
            long n = result.hosts().stream().filter(h -> h.verdict() == v).count();
            if (n > 0 && v != Verdict.SERVING && v != Verdict.SYNCED) {
                others.add(n + " " + v);
            }
        }
        if (!others.isEmpty()) {
            s.append(" (").append(String.join(", ", others)).append(')');
        }
        return s.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            l.append(String.format(Locale.ROOT, "%-" + width[i] + "s", cells[i]));
            if (i < cells.length - 1) {
                l.append("  ");
            }
        }
        out.append(l.toString().stripTrailing()).append('\n');
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    /** Milliseconds with an explicit sign and up to 3 decimals: "+0.012 ms", "-3599999 ms". */
    static String formatMs(double ms) {
        String n = Math.abs(ms) >= 1000 ? String.format(Locale.ROOT, "%+.0f", ms) : String.format(Locale.ROOT, "%+.3f", ms);
        return n + " ms";
    }
}
