package dev.ntpdeploy.facts;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fact {@code ntpq -c rv}: the daemon's own system variables (leap, stratum, refid, peer, offset...) and its
 * system status word, as classic ntpd and NTPsec print them.
 * Full {@code rv} without a variable list, since one unknown name fails the whole request.
 *
 * @param status decoded {@code status=} word, absent for a selected-variable list ({@code rv 0 a,b})
 * @param vars   every name=value pair, quotes removed, in printed order
 */
public record SystemVars(Optional<Status> status, Map<String, String> vars) implements SystemVarsReading {

    public static final String COMMAND = "ntpq -c rv";

    public SystemVars {
        vars = Map.copyOf(vars);
    }

    /** The 16-bit system status word: LI (2) | source (6) | event count (4) | last event (4). */
    public record Status(int word) {
        private static final String[] SOURCES = {"sync_unspec", "sync_pps", "sync_lf_radio", "sync_hf_radio",
            "sync_uhf_radio", "sync_local", "sync_ntp", "sync_other", "sync_wristwatch", "sync_telephone"};
        private static final String[] EVENTS = {"unspecified", "freq_not_set", "freq_set", "spike_detect",
            "freq_mode", "clock_sync", "restart", "panic_stop", "no_sys_peer", "leap_armed", "leap_disarmed",
            "leap_event", "clock_step", "kern", "TAI", "stale_leapsecond_values"};

        public int leap() {
            return (word >> 14) & 3;
        }

        public int source() {
            return (word >> 8) & 0x3f;
        }

        public String sourceName() {
            return source() < SOURCES.length ? SOURCES[source()] : "sync_" + source();
        }

        public int eventCount() {
            return (word >> 4) & 0xf;
        }

        public String lastEvent() {
            return EVENTS[word & 0xf];
        }
    }

    private static final Pattern STATUS = Pattern.compile("status=(?:0x)?([0-9a-fA-F]{4})");
    /**
     * A name starts where no name character precedes it, and is taken whole (possessive): a long run of name
     * characters without '=' is then passed over once, not tried from every position (quadratic before).
     */
    private static final Pattern PAIR = Pattern.compile("(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*+)=(\"[^\"]*\"|[^,\\s]*)");

    /** Parses stdout+stderr of one {@code ntpq -c rv} (or {@code rv 0 list}) call; exitCode -1 when unknown. */
    public static SystemVarsReading parse(String text, int exitCode) {
        String raw = text == null ? "" : text.replace("\r", "");
        Optional<NtpqFailed> failed = NtpqErrors.classify(raw, exitCode);
        if (failed.isPresent()) {
            return failed.get();
        }
        Map<String, String> vars = new LinkedHashMap<>();
        Optional<Status> status = Optional.empty();
        for (String line : raw.split("\n")) {
            if (line.isBlank() || line.startsWith("Output set to") || line.startsWith("primary timeout")) {
                continue;
            }
            if (!line.contains("=")) {
                return new Unparseable("not a name=value line: " + line.strip(), raw);
            }
            Matcher sm = STATUS.matcher(line);
            if (line.startsWith("associd=") && sm.find()) {
                status = Optional.of(new Status(Integer.parseInt(sm.group(1), 16)));
                vars.put("associd", line.replaceAll("^associd=(\\d+).*$", "$1"));
                continue;
            }
            Matcher m = PAIR.matcher(line);
            while (m.find()) {
                String v = m.group(2);
                boolean quoted = v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"");
                vars.put(m.group(1), quoted ? v.substring(1, v.length() - 1) : v);
            }
        }
        if (vars.isEmpty()) {
            return new Unparseable("no variables in ntpq rv output", raw);
        }
        return new SystemVars(status, vars);
    }

    /** Leap indicator 0..3 (cooked "00".."11" or raw "0".."3"); 3 = alarm, not synchronised. */
    public OptionalInt leap() {
        String v = vars.get("leap");
        if (v == null) {
            return status.map(s -> OptionalInt.of(s.leap())).orElse(OptionalInt.empty());
        }
        return v.length() == 2 && v.matches("[01]{2}") ? OptionalInt.of(Integer.parseInt(v, 2)) : integer(v);
    }

    public OptionalInt stratum() {
        return integer(vars.get("stratum"));
    }

    public Optional<String> refid() {
        return Optional.ofNullable(vars.get("refid"));
    }

    /** Association id of the system peer; 0 = none. */
    public OptionalInt peer() {
        return integer(vars.get("peer"));
    }

    public OptionalDouble offsetMs() {
        return decimal(vars.get("offset"));
    }

    public OptionalDouble sysJitterMs() {
        return decimal(vars.get("sys_jitter"));
    }

    public OptionalDouble rootDelayMs() {
        return decimal(vars.get("rootdelay"));
    }

    public OptionalDouble rootDispMs() {
        return decimal(vars.get("rootdisp"));
    }

    public Optional<String> version() {
        return Optional.ofNullable(vars.get("version"));
    }

    /** NTPsec ("ntpd ntpsec-1.2.2") rather than classic ("ntpd 4.2.8p4@1.3265-o ..."). */
    public boolean isNtpsec() {
        return version().map(v -> v.contains("ntpsec")).orElse(false);
    }

    /** Orphan parent: serving with no system peer, refid 127.0.0.1 (or LOOP at stratum 1). */
    public boolean isOrphanParent() {
        return peer().orElse(-1) == 0 && refid().map(r -> r.equals("127.0.0.1") || r.equals("LOOP")).orElse(false);
    }

    /**
     * Synchronised: leap != 11 (alarm), stratum < 16, and a system peer or orphan parent. Leap alone is not enough
     * (ntpstat's rule): NTPsec keeps leap 11 on a synced host when it may not set the clock.
     */
    public boolean synced() {
        return leap().orElse(3) != 3 && stratum().orElse(16) < 16
                && (peer().orElse(0) != 0 || isOrphanParent());
    }

    private static OptionalInt integer(String v) {
        try {
            return v == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(v.strip()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static OptionalDouble decimal(String v) {
        try {
            return v == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(v.strip()));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}
