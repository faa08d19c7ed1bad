package dev.ntpdeploy.facts;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The time daemons of one host as apply's probe found them ({@code remote/config-probe.sh}, sections
 * {@code daemon}, {@code units}, {@code enabled}): which run in this host's network namespace (the lab shares one
 * PID namespace, so a process list alone sees other hosts' daemons), and which of their units exist and are enabled.
 *
 * @param running the pids of each daemon running here (chronyd runs as two processes)
 * @param units   each existing main unit (of {@link TimeDaemon#units()}) with its {@code systemctl is-enabled} word
 *                ({@code enabled}, {@code disabled}, {@code masked}, ...), or {@code unknown} where the host has no
 *                systemctl or its answer could not be matched to the names
 */
public record TimeDaemons(Map<TimeDaemon, List<Long>> running, Map<String, String> units) {

    /** An older probe's output, or a host not probed for them. */
    public static final TimeDaemons UNKNOWN = new TimeDaemons(Map.of(), Map.of());

    public TimeDaemons {
        Map<TimeDaemon, List<Long>> r = new EnumMap<>(TimeDaemon.class);
        running.forEach((d, pids) -> r.put(d, List.copyOf(pids)));
        running = java.util.Collections.unmodifiableMap(r);
        units = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(units));
    }

    public boolean runs(TimeDaemon d) {
        return !running.getOrDefault(d, List.of()).isEmpty();
    }

    /** The daemon's unit on this host: the first of its unit names that exists here. */
    public Optional<String> unitOf(TimeDaemon d) {
        return d.units().stream().filter(units::containsKey).findFirst();
    }

    /** The unit starts at boot: {@code enabled} or {@code enabled-runtime} (masked, static, disabled: it does not). */
    public boolean enabled(String unit) {
        String s = units.getOrDefault(unit, "");
        return s.equals("enabled") || s.equals("enabled-runtime");
    }

    /**
     * Reads the probe's sections: {@code daemon} ("PID COMM", one per process), {@code units} (the unit names, space
     * separated) and {@code enabled} (systemctl is-enabled's lines for them, in order; absent without systemctl).
     * Total: lines it cannot read are skipped, and answers that do not pair up with the names leave every unit's
     * state {@code unknown}.
     */
    static TimeDaemons read(ScriptOutput out) {
        Map<TimeDaemon, List<Long>> running = new EnumMap<>(TimeDaemon.class);
        for (ScriptOutput.Section s : out.all("daemon")) {
            String[] f = s.line(0).strip().split("\\s+");
            TimeDaemon d = f.length == 2 && f[0].matches("\\d{1,18}") ? TimeDaemon.ofComm(f[1]) : null;
            if (d != null) {
                running.computeIfAbsent(d, k -> new ArrayList<>()).add(Long.parseLong(f[0]));
            }
        }
        List<String> names = new ArrayList<>();
        for (String n : out.value("units").orElse("").strip().split("\\s+")) {
            if (!n.isEmpty()) {
                names.add(n);
            }
        }
        List<String> states = out.lines("enabled").stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        boolean paired = out.has("enabled") && states.size() == names.size();
        Map<String, String> units = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            units.put(names.get(i), paired ? states.get(i) : "unknown");
        }
        return new TimeDaemons(running, units);
    }
}
