package dev.ntpdeploy.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fact {@code ntpq -pn}: the peer billboard of classic ntpd 4.2.6/4.2.8 and NTPsec 1.x, or why there is none.
 * Parsing: error texts first (they can appear on stdout or stderr, before or instead of the table), then the header
 * line decides the column positions, which differ between classic (78 columns), NTPsec (79) and wide terminals.
 */
public sealed interface NtpqPeers permits NtpqPeers.Table, NtpqPeers.NoAssociations, NtpqFailed, Unparseable {

    /** The command, run on the host itself without a pty (see {@link NtpProbe} for the full probe). */
    String COMMAND = "ntpq -pn";

    /** The billboard rows in printed order (may be empty when the daemon lists nothing). */
    record Table(List<Peer> peers) implements NtpqPeers {
        public Table {
            peers = List.copyOf(peers);
        }

        /** The row marked '*' or 'o'. */
        public Optional<Peer> systemPeer() {
            return peers.stream().filter(Peer::isSystemPeer).findFirst();
        }
    }

    /** "No association ID's returned": the daemon answers but polls nobody (fine on an orphan master). */
    record NoAssociations(String evidence) implements NtpqPeers {
    }

    Pattern HEADER = Pattern.compile(
            "^(\\s*)remote\\s+(refid|local)\\s+st\\s+t\\s+when\\s+poll\\s+reach\\s+delay\\s+offset\\s+(jitter|disp)\\s*$");
    /** when and poll: ntpq's prettyinterval prints at most 4 digits (2048 s, 300m, 96h, 999d), which fit an int. */
    Pattern TAIL = Pattern.compile("^\\s*(\\d{1,2})\\s+(\\S)\\s+(-|\\d{1,4}[mhd]?)\\s+(\\d{1,4}[mhd]?)\\s+([0-7]{1,3})"
            + "\\s+([-+]?\\d+(?:\\.\\d*)?)\\s+([-+]?\\d+(?:\\.\\d*)?)\\s+([-+]?\\d+(?:\\.\\d*)?)\\s*$");
    String TALLIES = " x.-+#*o";

    /** Parses stdout+stderr of one {@code ntpq -pn} call; exitCode -1 when unknown. */
    static NtpqPeers parse(String text, int exitCode) {
        String raw = text == null ? "" : text.replace("\r", "");
        Optional<NtpqFailed> failed = NtpqErrors.classify(raw, exitCode);
        if (failed.isPresent()) {
            return failed.get();
        }
        List<String> lines = List.of(raw.split("\n"));
        int h = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (HEADER.matcher(lines.get(i)).matches()) {
                h = i;
                break;
            }
            if (lines.get(i).matches("^server\\s+remote\\s.*")) {
                return new Unparseable("multi-host layout (several hosts were queried)", raw);
            }
            if (lines.get(i).contains("No association ID")) {
                return new NoAssociations(lines.get(i).strip());
            }
        }
        if (h < 0) {
            if (raw.isBlank()) {
                return new Unparseable("ntpq printed nothing", raw);
            }
            return new Unparseable("no ntpq -p header line", raw);
        }
        String header = lines.get(h);
        // the remote and refid columns are as wide as ntpq made them: read the layout off the header, where
        // refid's 16 characters end at "st"; a header without room for them is not a layout ntpq prints
        int stCol = header.indexOf(" st t ") + 1;
        int refidStart = stCol - 16;
        int remoteEnd = refidStart - 1;
        if (stCol == 0 || remoteEnd < 2) {
            return new Unparseable("unexpected ntpq -p header layout: " + header.strip(), raw);
        }
        int i = h + 1;
        if (i < lines.size() && lines.get(i).matches("^=+\\s*$")) {
            i++;
        }
        List<Peer> peers = new ArrayList<>();
        for (; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String wrappedRemote = null;
            // -w: a long remote alone on its line, the row continues indented on the next one
            if (line.length() < stCol && i + 1 < lines.size()
                    && lines.get(i + 1).startsWith(" ".repeat(refidStart))) {
                wrappedRemote = line.substring(1).strip();
                line = line.charAt(0) + " ".repeat(refidStart - 1) + lines.get(i + 1).substring(refidStart);
                i++;
            }
            Optional<Peer> peer = row(line, wrappedRemote, stCol, refidStart, remoteEnd);
            if (peer.isEmpty()) {
                return new Unparseable("unreadable row: " + line, raw);
            }
            peers.add(peer.get());
        }
        return new Table(peers);
    }

    private static Optional<Peer> row(String line, String wrappedRemote, int stCol, int refidStart, int remoteEnd) {
        if (line.length() < stCol || TALLIES.indexOf(line.charAt(0)) < 0) {
            return Optional.empty();
        }
        Matcher m = TAIL.matcher(line.substring(stCol - 1));
        if (!m.matches()) {
            return Optional.empty();
        }
        String remote = wrappedRemote != null ? wrappedRemote : line.substring(1, remoteEnd).strip();
        String refid = line.substring(refidStart, stCol - 1).strip();
        String offset = m.group(7);
        return Optional.of(new Peer(line.charAt(0), remote, refid, Integer.parseInt(m.group(1)),
                m.group(2).charAt(0), interval(m.group(3)), interval(m.group(4)),
                Integer.parseInt(m.group(5), 8), number(m.group(6)), number(offset), number(m.group(8)),
                truncated(offset)));
    }

    /**
     * A value printed without decimals lost digits to the column width: classic cuts "-3600000.000" to
     * "-360000", so only a lower bound of the magnitude is known (never take magnitudes from the billboard).
     */
    private static boolean truncated(String s) {
        return !s.contains(".") && s.replaceAll("[^0-9]", "").length() >= 6;
    }

    /** ntpq's prettyinterval: "-" (null), seconds, or a number of at most 4 digits with an m/h/d suffix. */
    static Integer interval(String s) {
        if (s.equals("-")) {
            return null;
        }
        char last = s.charAt(s.length() - 1);
        int unit = switch (last) {
            case 'm' -> 60;
            case 'h' -> 3600;
            case 'd' -> 86400;
            default -> 1;
        };
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        return Integer.parseInt(digits) * unit;
    }

    private static double number(String s) {
        return Double.parseDouble(s.startsWith("+") ? s.substring(1) : s);
    }
}
