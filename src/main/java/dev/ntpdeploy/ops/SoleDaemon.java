package dev.ntpdeploy.ops;

import dev.ntpdeploy.facts.Daemon;
import dev.ntpdeploy.facts.ProbeFacts;
import dev.ntpdeploy.facts.ServiceManager;
import dev.ntpdeploy.facts.TimeDaemon;
import dev.ntpdeploy.facts.TimeDaemons;
import dev.ntpdeploy.inventory.NtpSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Ensures the managed daemon is the host's one time daemon: its unit enabled (it starts at boot), and every competing
 * daemon ({@link TimeDaemon#competitorsOf}) stopped and its unit disabled. The {@link ChangeUnit} does it last, and
 * only once the managed daemon runs its config (its start checked, or it already ran it): a managed daemon that fails
 * to start leaves the old one running and enabled. When a stopped daemon could hold UDP 123 (ntpd, chronyd), the
 * managed daemon is started once more to take the port it may have found taken.
 *
 * @param competitors   each daemon to stop and/or disable, with what the probe saw (may be empty)
 * @param enableManaged the managed daemon's unit is to be enabled (it exists here and is not)
 * @param service       the managed daemon's service (its enabling, its start once the competitors are gone)
 * @param manager       how services are started and stopped on the host
 * @param managedPid    the managed daemon's pid as the probe saw it (the start after waits for another one)
 */
public record SoleDaemon(List<Competitor> competitors, boolean enableManaged, String service, ServiceManager manager,
                         OptionalLong managedPid) implements Step {

    private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]*");

    /**
     * One competing daemon on the host.
     *
     * @param unit    its unit (as the probe found it)
     * @param running it runs in this host's network namespace
     * @param enabled its unit is enabled (starts at boot)
     */
    public record Competitor(TimeDaemon daemon, String unit, boolean running, boolean enabled) {
        public Competitor {
            if (!UNIT.matcher(unit).matches()) {
                throw new IllegalArgumentException("not a unit name: " + unit);
            }
        }

        /** "chrony (chronyd runs, enabled)". */
        String describe() {
            List<String> seen = new ArrayList<>();
            if (running) {
                seen.add(daemon.comm() + " runs");
            }
            if (enabled) {
                seen.add("enabled");
            }
            return unit + " (" + String.join(", ", seen) + ")";
        }
    }

    public SoleDaemon {
        competitors = List.copyOf(competitors);
        if (competitors.isEmpty() && !enableManaged) {
            throw new IllegalArgumentException("nothing to do: no competing daemon, the managed one enabled");
        }
    }

    /**
     * What this host needs for the managed daemon to be its one time daemon: the managed unit enabled when the probe
     * found it disabled, and the competing daemons that run here or whose unit is enabled stopped and disabled, of
     * those {@link TimeDaemon#stoppedByApply} says apply stops (not when the inventory opts out; ntpd and chronyd only
     * for a declared ntp_flavor); verify reports the others. A daemon with no unit here (started by hand) is left
     * alone: the service manager cannot stop it for good, and verify names it. Empty when all is as it should be.
     */
    public static Optional<SoleDaemon> plan(NtpSpec ntp, Daemon managed, ProbeFacts facts) {
        TimeDaemons seen = facts.daemons();
        List<Competitor> out = new ArrayList<>();
        for (TimeDaemon d : TimeDaemon.competitorsOf(managed.flavor())) {
            if (!d.stoppedByApply(ntp)) {
                continue;
            }
            Optional<String> unit = seen.unitOf(d);
            if (unit.isEmpty()) {
                continue;
            }
            boolean running = seen.runs(d);
            boolean enabled = seen.enabled(unit.get());
            if (running || enabled) {
                out.add(new Competitor(d, unit.get(), running, enabled));
            }
        }
        // only a state the host reported: an unknown one (no systemctl, an alias as ntp_service) is left as it is
        boolean enable = seen.units().containsKey(managed.service()) && !seen.enabled(managed.service())
                && !seen.units().get(managed.service()).equals("unknown")
                && !seen.units().get(managed.service()).startsWith("masked");
        // the managed daemon's first process (chronyd's helper is its child, so a later pid)
        OptionalLong pid = seen.running().getOrDefault(TimeDaemon.of(managed.flavor()), List.of()).stream()
                .mapToLong(Long::longValue).min();
        return out.isEmpty() && !enable ? Optional.empty()
                : Optional.of(new SoleDaemon(out, enable, managed.service(), managed.manager(), pid));
    }

    /** The managed daemon is started again once the competitors are gone: one of them may have held UDP 123. */
    public boolean restartAfter() {
        return competitors.stream().anyMatch(c -> c.running() && c.daemon().holdsUdp123());
    }

    /** The units, space separated, as the change unit's argument ("UNIT:COMM ..."). */
    String argument() {
        StringBuilder s = new StringBuilder();
        for (Competitor c : competitors) {
            s.append(s.isEmpty() ? "" : " ").append(c.unit()).append(':').append(c.daemon().comm());
        }
        return s.toString();
    }

    /** The plan's line: what will be enabled, stopped and disabled, and when. */
    public String planLine() {
        List<String> what = new ArrayList<>();
        if (enableManaged) {
            what.add("enable " + service);
        }
        if (!competitors.isEmpty()) {
            what.add("stop and disable " + String.join(", ", competitors.stream().map(Competitor::describe).toList()));
        }
        return String.join("; ", what) + ": once " + service + " runs its config" + (restartAfter()
                ? ", then start " + service + " again to take UDP 123" : "");
    }

    @Override
    public String describe() {
        List<String> what = new ArrayList<>();
        if (enableManaged) {
            what.add("enabled " + service);
        }
        if (!competitors.isEmpty()) {
            what.add("stopped and disabled " + String.join(", ", competitors.stream().map(Competitor::unit).toList()));
        }
        return String.join("; ", what);
    }
}
