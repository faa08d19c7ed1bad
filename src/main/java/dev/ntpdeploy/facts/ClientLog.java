package dev.ntpdeploy.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A master's own record of the hosts whose NTP requests its daemon received: chronyd's {@code clients} list
 * ({@link #fromChronyc}), ntpd's MRU list ({@link #fromMrulist}). It is the master's end of the check from both
 * ends. Either the daemon keeps such a list and it was read ({@link Kept}), or the check is not possible and the
 * reason says why ({@link Unavailable}): a daemon that keeps no list, a query that failed, a list that did not read.
 * Never a guess: an empty list counts as kept only when the daemon says it keeps one.
 */
public sealed interface ClientLog {

    /** The probe's query of a chrony master. */
    String CHRONYC = "chronyc -n -c clients";
    /** The probe's query of an ntpd master (one ntpq call: whether the list is kept, then the list). */
    String NTPQ = "ntpq -n -c 'rv 0 mru_enabled' -c mrulist";

    /**
     * One host whose NTP requests the daemon logged (requests of other kinds, such as chronyc's or ntpq's own
     * queries, are not counted).
     *
     * @param requests    NTP requests received from it (ntpd: client-mode packets)
     * @param lastSeconds seconds since the latest one, as of the end of the probe
     */
    record Heard(String address, long requests, long lastSeconds) {
    }

    /** The daemon keeps the list and this is it, one entry per address. */
    record Kept(List<Heard> hosts) implements ClientLog {
        public Kept {
            hosts = List.copyOf(hosts);
        }

        /** What the daemon logged of {@code address}; empty when it never heard a request from it. */
        public Optional<Heard> of(String address) {
            return hosts.stream().filter(h -> h.address().equals(address)).findFirst();
        }
    }

    /** The check cannot be made from this end: why, in one line, and what the host printed. */
    record Unavailable(String reason, List<String> evidence) implements ClientLog {
        public Unavailable {
            evidence = List.copyOf(evidence);
        }
    }

    /** The same list read {@code seconds} later: every last request is that much older. */
    default ClientLog aged(long seconds) {
        if (this instanceof Kept k && seconds != 0) {
            return new Kept(k.hosts().stream()
                    .map(h -> new Heard(h.address(), h.requests(), Math.max(0, h.lastSeconds() + seconds))).toList());
        }
        return this;
    }

    /**
     * {@code chronyc -n -c clients} (chrony 4.x, root only): address, NTP requests, dropped, interval, interval of
     * timeouts, seconds since the last NTP request (4294967295: none), then the same for commands. A host that only
     * sent commands is left out. Any line that does not read makes the whole list unavailable: a partial list would
     * miss a client and accuse it.
     */
    static ClientLog fromChronyc(Chronyc.Output out) {
        List<String> evidence = nonBlank(out.text());
        Optional<ChronycFailed> failed = ChronycFailed.classify(out);
        if (failed.isPresent()) {
            // "519 Client logging is not active in the daemon" is chronyd's noclientlog
            return new Unavailable(CHRONYC + ": " + failed.get().evidence(), List.of(failed.get().evidence()));
        }
        if (out.exitCode() != 0) {
            return new Unavailable(CHRONYC + " exited with status " + out.exitCode(), first(evidence));
        }
        List<Heard> heard = new ArrayList<>();
        for (String line : evidence) {
            String[] f = line.split(",", -1);
            if (f.length != 10 || f[0].isEmpty() || !f[0].matches("[0-9A-Fa-f.:]{1,45}") || !count(f[1])
                    || !(f[5].equals(ChronycSource.NEVER) || count(f[5]))) {
                return new Unavailable(CHRONYC + " printed a line that does not read as a client", List.of(line));
            }
            long requests = Long.parseLong(f[1]);
            if (requests > 0 && !f[5].equals(ChronycSource.NEVER)) {
                heard.add(new Heard(f[0], requests, Long.parseLong(f[5])));
            }
        }
        return new Kept(merged(heard));
    }

    /**
     * {@code ntpq -n -c 'rv 0 mru_enabled' -c mrulist} (NTPsec; classic ntpd 4.2.7 and later): the variable, then
     * the table under its {@code lstint avgint ...} header (NTPsec adds score and drop before rport). Only
     * client-mode rows (m = 3) are requests; a client on random source ports (chronyd) has one row per port, merged
     * here. {@code mru_enabled=0x0} is a daemon that keeps no list (classic ntpd's {@code disable monitor});
     * without the variable an empty table cannot tell "no client" from "no list", so it is unavailable.
     */
    static ClientLog fromMrulist(String text, int exitCode) {
        List<String> lines = nonBlank(text);
        Optional<Long> enabled = Optional.empty();
        int header = -1;
        for (int i = 0; i < lines.size() && header < 0; i++) {
            String l = lines.get(i).strip();
            if (l.matches("mru_enabled=(0x[0-9A-Fa-f]{1,8}|\\d{1,9}),?")) {
                String v = l.substring("mru_enabled=".length()).replace(",", "");
                enabled = Optional.of(v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v));
            } else if (l.startsWith("lstint ") && l.endsWith("remote address")) {
                header = i;
            }
        }
        if (enabled.isPresent() && enabled.get() == 0) {
            return new Unavailable("the daemon keeps no list of the hosts it serves (mru_enabled=0: `disable"
                    + " monitor`)", first(lines));
        }
        if (header < 0 || exitCode != 0) {
            String why = exitCode == 124 ? "ntpq mrulist did not finish in time" : exitCode != 0 && exitCode != -1
                    ? "ntpq mrulist failed (exit status " + exitCode + ")" : "ntpq printed no MRU list";
            return new Unavailable(why, lines.stream().filter(l -> !l.startsWith("Ctrl-C")).limit(3).toList());
        }
        String[] columns = lines.get(header).strip().split("\\s+");
        int width = columns.length - 1; // "remote address" is one column
        int mode = List.of(columns).indexOf("m");
        int count = List.of(columns).indexOf("count");
        List<Heard> heard = new ArrayList<>();
        for (String raw : lines.subList(header + 1, lines.size())) {
            String l = raw.strip();
            if (l.startsWith("=") || l.startsWith("#") || l.startsWith("Ctrl-C")) {
                continue;
            }
            String[] f = l.split("\\s+");
            if (f.length != width || mode < 0 || count < 0 || !count(f[0]) || !count(f[count])
                    || !f[mode].matches("\\d")) {
                return new Unavailable("ntpq mrulist printed a row that does not read", List.of(l));
            }
            if (f[mode].equals("3")) {
                heard.add(new Heard(f[width - 1], Long.parseLong(f[count]), Long.parseLong(f[0])));
            }
        }
        if (heard.isEmpty() && enabled.isEmpty()) {
            return new Unavailable("ntpq printed an empty MRU list without mru_enabled: a daemon that keeps no list"
                    + " looks the same", first(lines));
        }
        return new Kept(merged(heard));
    }

    /** One entry per address: requests summed, the latest request kept. */
    private static List<Heard> merged(List<Heard> rows) {
        Map<String, Heard> by = new LinkedHashMap<>();
        for (Heard h : rows) {
            by.merge(h.address(), h, (a, b) -> new Heard(a.address(), saturated(a.requests() + b.requests()),
                    Math.min(a.lastSeconds(), b.lastSeconds())));
        }
        return List.copyOf(by.values());
    }

    private static long saturated(long sum) {
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static boolean count(String s) {
        return s.matches("\\d{1,15}");
    }

    private static List<String> nonBlank(String text) {
        return text == null ? List.of() : text.lines().filter(l -> !l.isBlank()).toList();
    }

    private static List<String> first(List<String> lines) {
        return lines.stream().limit(3).toList();
    }
}
