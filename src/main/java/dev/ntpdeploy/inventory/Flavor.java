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
    NTP("ntp", "/etc/ntp.conf", "/var/lib/ntp/drift", "ntp", "ntpd", "ntpd"),
    /** NTPsec 1.x (Debian 12+, Ubuntu 24.04). */
    NTPSEC("ntpsec", "/etc/ntpsec/ntp.conf", "/var/lib/ntpsec/ntp.drift", "ntpsec", "ntpsec", "ntpd");

    /** The word ntp_flavor takes for "detect it on the host". */
    public static final String AUTO = "auto";

    private static final Set<String> RED_HAT = Set.of("rhel", "centos", "fedora", "rocky", "almalinux", "ol", "amzn");

    private final String word;
    private final String confPath;
    private final String driftFile;
    private final String debianService;
    private final String redHatService;
    private final String binary;

    Flavor(String word, String confPath, String driftFile, String debianService, String redHatService, String binary) {
        this.word = word;
        this.confPath = confPath;
        this.driftFile = driftFile;
        this.debianService = debianService;
        this.redHatService = redHatService;
        this.binary = binary;
    }

    public String word() {
        return word;
    }

    /** Where this family's packages put the config file. */
    public String confPath() {
        return confPath;
    }

    public String driftFile() {
        return driftFile;
    }

    /** The daemon's program name (what ps and ss show). */
    public String binary() {
        return binary;
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
        return osId.stream().anyMatch(RED_HAT::contains) ? redHatService : debianService;
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
