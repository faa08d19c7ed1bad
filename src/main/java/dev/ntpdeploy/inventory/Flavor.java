package dev.ntpdeploy.inventory;

import java.util.List;
import java.util.Set;

/**
 * A family of NTP daemon, and everything ntpdeploy knows per family: where its config and drift file live, what its
 * service is called on each OS family, its binary. The one place a new daemon family is added (with its templates
 * and its judge rules). "auto" is not a flavor: an inventory that leaves {@code ntp_flavor} out or says auto has no
 * declared flavor ({@link NtpSpec#flavor()} is empty) and the host's daemon is detected ({@code facts.Daemon}).
 */
public enum Flavor {
    /** Classic ntpd 4.2.x: "ntp" on Debian/Ubuntu, "ntpd" on the Red Hat family. */
    NTP("ntp", "/etc/ntp.conf", "/etc/ntp.conf", "/var/lib/ntp/drift", "ntp", "ntpd", "ntpd"),
    /** NTPsec 1.x (Debian 12+, Ubuntu 24.04). */
    NTPSEC("ntpsec", "/etc/ntpsec/ntp.conf", "/etc/ntpsec/ntp.conf", "/var/lib/ntpsec/ntp.drift", "ntpsec", "ntpsec",
            "ntpd"),
    /**
     * chrony 4.x: "chrony" and /etc/chrony/chrony.conf on Debian/Ubuntu (alias chronyd), "chronyd" and
     * /etc/chrony.conf on the Red Hat family and SUSE.
     */
    CHRONY("chrony", "/etc/chrony/chrony.conf", "/etc/chrony.conf", "/var/lib/chrony/chrony.drift", "chrony", "chronyd",
            "chronyd");

    /** The word ntp_flavor takes for "detect it on the host". */
    public static final String AUTO = "auto";

    /** os-release IDs (ID, ID_LIKE) of the families whose packages use upstream's names: Red Hat's and SUSE's. */
    private static final Set<String> RED_HAT = Set.of("rhel", "centos", "fedora", "rocky", "almalinux", "ol", "amzn",
            "suse", "sles", "opensuse", "opensuse-leap", "opensuse-tumbleweed");

    /**
     * Config errors ntpd logs and then ignores; warnings such as "restrict nopeer ignored" are not errors. A POSIX
     * extended regular expression (no {@code \\b}, no Java-only syntax), matched case-insensitively: the change
     * unit on the host greps it to decide its rollback, and DaemonStartLog reports the lines it matches.
     */
    private static final String NTPD_CONFIG_ERROR_ERE = "syntax error"
            + "|configure invalid address"
            + "|CONFIG: .*(invalid|unknown|unrecognized|not allowed|cannot|can't|failed|error)"
            + "|keyword .* unknown"
            + "|unknown (keyword|option|command)";
    /** chronyd's parse errors ({@code Fatal error : Invalid directive at line 7 in file F}): it stops on any. */
    private static final String CHRONYD_CONFIG_ERROR_ERE = "(invalid|unknown|could not parse).* at line [0-9]+";
    private static final java.util.regex.Pattern CHRONYD_CONFIG_ERROR =
            java.util.regex.Pattern.compile(CHRONYD_CONFIG_ERROR_ERE, java.util.regex.Pattern.CASE_INSENSITIVE);

    private final String word;
    private final String debianConfPath;
    private final String redHatConfPath;
    private final String driftFile;
    private final String debianService;
    private final String redHatService;
    private final String binary;

    Flavor(String word, String debianConfPath, String redHatConfPath, String driftFile, String debianService,
           String redHatService, String binary) {
        this.word = word;
        this.debianConfPath = debianConfPath;
        this.redHatConfPath = redHatConfPath;
        this.driftFile = driftFile;
        this.debianService = debianService;
        this.redHatService = redHatService;
        this.binary = binary;
    }

    public String word() {
        return word;
    }

    /** Where this family's packages put the config file on Debian/Ubuntu (an unknown OS is taken for Debian). */
    public String confPath() {
        return debianConfPath;
    }

    /** Where the config file is on a host of OS family {@code osId} (ID and ID_LIKE of /etc/os-release). */
    public String confPath(List<String> osId) {
        return redHat(osId) ? redHatConfPath : debianConfPath;
    }

    /** Every path this family's config may be at, whatever the OS: what apply's probe reads. */
    public List<String> confPaths() {
        return debianConfPath.equals(redHatConfPath) ? List.of(debianConfPath) : List.of(debianConfPath, redHatConfPath);
    }

    public String driftFile() {
        return driftFile;
    }

    /** The daemon's program name (what ps and ss show). */
    public String binary() {
        return binary;
    }

    /**
     * The daemon that checks a candidate config before apply installs it, as the change unit knows it ("chronyd":
     * {@code chronyd -p -f FILE}, non-zero with the line on a bad directive); empty when the family has no such
     * check (ntpd reads a bad line, logs it and runs on: the restart check finds it).
     */
    public String configChecker() {
        return this == CHRONY ? "chronyd" : "";
    }

    /**
     * The config error lines of this family's daemon, as a POSIX ERE matched case-insensitively (the change unit's
     * rollback greps it on the host): ntpd logs them and runs on without the line, chronyd stops.
     */
    public String configErrorEre() {
        return this == CHRONY ? CHRONYD_CONFIG_ERROR_ERE : NTPD_CONFIG_ERROR_ERE;
    }

    /** The family whose daemon is the program {@code binary} (ntpd's two families share their rules here). */
    public static Flavor ofBinary(String binary) {
        return CHRONY.binary.equals(binary) ? CHRONY : NTPSEC;
    }

    /** The program that reads the daemon's state on the host (ntpq, chronyc). */
    public String queryTool() {
        return this == CHRONY ? "chronyc" : "ntpq";
    }

    /**
     * The query that shows, source by source, how this family's daemon judged them: ntpq's association list with
     * its condition column (candidate, outlyer, falsetick, reject), chronyc's sources with its state legend.
     */
    public String selectionQuery() {
        return this == CHRONY ? "chronyc -n sources -v" : "ntpq -c as";
    }

    /** The query that shows the daemon's own synchronisation state: ntpq's system variables, chronyc's tracking. */
    public String statusQuery() {
        return this == CHRONY ? "chronyc -n tracking" : "ntpq -c rv";
    }

    /** The role's template in the templates directory: {@code ntp.conf.master.mustache}, {@code chrony.conf...}. */
    public String templateName(Role role) {
        return (this == CHRONY ? "chrony.conf." : "ntp.conf.") + role.word() + ".mustache";
    }

    /**
     * The stratum a master serving its own clock at the configured {@code ntp_local_stratum} is seen at: ntpd's
     * LOCAL driver ({@code fudge 127.127.1.0 stratum N}) is a source at N, so ntpd serves at N+1; chrony's
     * {@code local stratum N} serves at N.
     */
    public int localClockServes(int configured) {
        return this == CHRONY ? configured : configured + 1;
    }

    /**
     * The stratum a master without upstreams serves its own clock at: ntpd prefers its LOCAL driver (N+1) to orphan
     * mode; chrony has one {@code local} line, {@code local stratum N orphan} when orphan mode is asked for, else
     * {@code local stratum N} (served at N). Empty when it has neither.
     */
    public java.util.OptionalInt ownClockStratum(NtpSpec n) {
        if (this == CHRONY) {
            return n.orphanStratum().isPresent() ? n.orphanStratum()
                    : n.localClock() ? java.util.OptionalInt.of(n.localStratum()) : java.util.OptionalInt.empty();
        }
        return n.localClock() ? java.util.OptionalInt.of(localClockServes(n.localStratum())) : n.orphanStratum();
    }

    /**
     * How the daemon serves its own clock when it selects no source: ntpd's orphan mode ("orphan"); chrony's
     * {@code local} line, "local" unless it has the orphan option.
     */
    public String sourcelessMode(NtpSpec n) {
        return this == CHRONY && n.orphanStratum().isEmpty() ? "local" : "orphan";
    }

    /** The stratum served with no source selected ({@link #sourcelessMode}); empty when the inventory sets none. */
    public java.util.OptionalInt sourcelessStratum(NtpSpec n) {
        return this == CHRONY ? ownClockStratum(n) : n.orphanStratum();
    }

    /**
     * How long the daemon waits before it serves its own clock (local clock or orphan mode) when nothing else is
     * selectable: ntpd's {@code tos orphanwait} (default 300 s); chrony's {@code local} serves at once.
     */
    public int ownClockWaitSeconds(java.util.OptionalInt orphanWait) {
        return this == CHRONY ? 0 : orphanWait.orElse(300);
    }

    /**
     * An offset the daemon refuses to correct (ntpd exits beyond 1000 s unless started with -g); chrony slews or
     * steps (makestep) any offset: empty.
     */
    public java.util.OptionalDouble panicThresholdMs() {
        return this == CHRONY ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(1_000_000);
    }

    /**
     * A line of the daemon's log saying it rejected a line of its config: ntpd logs {@code CONFIG: line N column M
     * syntax error} and runs without it; chronyd logs {@code Fatal error : Invalid directive at line N in file ...}
     * (and stops).
     */
    public boolean rejectedConfigLine(String logLine) {
        return this == CHRONY ? CHRONYD_CONFIG_ERROR.matcher(logLine).find()
                : logLine.contains("CONFIG") && logLine.contains("error");
    }

    /**
     * The service unit of this family on a host: the one of its names that exists there when exactly one does,
     * else the OS family's name ({@code osId}: ID and ID_LIKE of /etc/os-release; empty when unknown).
     *
     * @param units the unit or init script names that exist on the host (empty when unknown)
     */
    public String service(Set<String> units, List<String> osId) {
        boolean debian = units.contains(debianService);
        boolean redHat = units.contains(redHatService);
        if (debian != redHat) {
            return debian ? debianService : redHatService;
        }
        return redHat(osId) ? redHatService : debianService;
    }

    private static boolean redHat(List<String> osId) {
        return osId.stream().anyMatch(RED_HAT::contains);
    }

    /** The flavor ntp_flavor names, empty for "auto". */
    public static java.util.Optional<Flavor> fromWord(String s) {
        if (AUTO.equals(s)) {
            return java.util.Optional.empty();
        }
        for (Flavor f : values()) {
            if (f.word.equals(s)) {
                return java.util.Optional.of(f);
            }
        }
        throw new IllegalArgumentException("unknown flavor '" + s + "' (expected: " + words() + ")");
    }

    /** "ntp, ntpsec or auto": what ntp_flavor accepts. */
    public static String words() {
        StringBuilder s = new StringBuilder();
        for (Flavor f : values()) {
            s.append(f.word).append(", ");
        }
        return s.substring(0, s.length() - 2) + " or " + AUTO;
    }
}
