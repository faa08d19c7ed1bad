package dev.ntpdeploy.facts;

import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.NtpSpec;
import java.util.Arrays;
import java.util.List;

/**
 * The time daemons a host may run, each known by its process name and its units. Every one of them sets the clock,
 * so a host runs exactly one: the rule of which daemons compete with a managed flavor is {@link #competitorsOf}, the
 * one place apply (which stops and disables them, {@code ops.SoleDaemon}) and verify (TWO_DAEMONS,
 * TIMESYNCD_RUNNING) take it from. {@code remote/config-probe.sh} lists the same process and unit names (a unit test
 * holds the two together).
 */
public enum TimeDaemon {
    /** ntpd, NTPsec's or classic: its unit is ntpsec (Debian 12+), ntp (Debian/Ubuntu classic) or ntpd (Red Hat). */
    NTPD("ntpd", true, "ntpsec", "ntp", "ntpd"),
    /** chronyd: unit chrony on Debian/Ubuntu, chronyd on the Red Hat family and SUSE. */
    CHRONYD("chronyd", true, "chrony", "chronyd"),
    /** systemd-timesyncd, an SNTP client only (its comm is cut to 15 characters). */
    TIMESYNCD("systemd-timesyn", false, "systemd-timesyncd");

    private final String comm;
    private final boolean holdsUdp123;
    private final List<String> units;

    TimeDaemon(String comm, boolean holdsUdp123, String... units) {
        this.comm = comm;
        this.holdsUdp123 = holdsUdp123;
        this.units = List.of(units);
    }

    /** The process name as ps and /proc/PID/comm show it. */
    public String comm() {
        return comm;
    }

    /**
     * It may own UDP 123, so a daemon started while it ran may have found the port taken: once it is stopped, the
     * managed daemon is started again to take it.
     */
    public boolean holdsUdp123() {
        return holdsUdp123;
    }

    /** Its unit file names (without .service), the main unit of each packaging; aliases are not listed. */
    public List<String> units() {
        return units;
    }

    /**
     * apply stops and disables this daemon where it competes with the host's managed one: unless the inventory opts
     * out ({@code ntp_disable_competitors: false}: verify reports it instead), and ntpd or chronyd only when the
     * host's {@code ntp_flavor} is declared (a host's daemon family is never switched on a guess: with auto, the
     * detected family may be the one the operator meant to leave).
     */
    public boolean stoppedByApply(NtpSpec ntp) {
        return ntp.disableCompetitors() && !(holdsUdp123 && ntp.flavor().isEmpty());
    }

    /** The daemon a flavor runs. */
    public static TimeDaemon of(Flavor f) {
        return f == Flavor.CHRONY ? CHRONYD : NTPD;
    }

    /** The daemons that must not run beside {@code managed}'s: every other one. */
    public static List<TimeDaemon> competitorsOf(Flavor managed) {
        TimeDaemon own = of(managed);
        return Arrays.stream(values()).filter(d -> d != own).toList();
    }

    /** The daemon a process name belongs to, or null. */
    public static TimeDaemon ofComm(String comm) {
        for (TimeDaemon d : values()) {
            if (d.comm.equals(comm)) {
                return d;
            }
        }
        return null;
    }
}
