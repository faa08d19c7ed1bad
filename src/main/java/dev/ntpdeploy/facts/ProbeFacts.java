package dev.ntpdeploy.facts;

import dev.ntpdeploy.inventory.Flavor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Everything planning needs to know about one host, from one probe command (see {@link ConfigProbe}).
 *
 * @param ntpdVersion   first line of {@code ntpd --version}, empty when no ntpd is installed
 * @param chronyd       chronyd is installed
 * @param ntpdPid       this host's running ntpd, if any
 * @param ntpdArgs      its command line (space-joined), empty when not running
 * @param manager       how services are restarted here
 * @param services      ntp/ntpd/ntpsec names that exist as a systemd unit or init script
 * @param osId          ID and ID_LIKE of /etc/os-release, lower case
 * @param files         every candidate config file, by path (present or absent)
 * @param ntpdAgeSeconds how long the running ntpd has run
 * @param fileAges      seconds since each present candidate file last changed (the host's clock against itself)
 * @param leftovers     reports of earlier runs' change units that no controller received, by file name
 * @param daemons       the time daemons running here and their units (competing daemons are planned from it)
 * @param chronydPid    this host's running chronyd (its main process, not the one it forks), if any
 * @param chronydAgeSeconds how long it has run
 */
public record ProbeFacts(Optional<String> ntpdVersion, boolean chronyd, OptionalLong ntpdPid,
                         String ntpdArgs, ServiceManager manager, Set<String> services, List<String> osId,
                         Map<String, RemoteFile> files, OptionalLong ntpdAgeSeconds, Map<String, Long> fileAges,
                         Map<String, String> leftovers, TimeDaemons daemons, OptionalLong chronydPid,
                         OptionalLong chronydAgeSeconds) {

    public ProbeFacts {
        services = Set.copyOf(services);
        osId = List.copyOf(osId);
        files = Map.copyOf(files);
        fileAges = Map.copyOf(fileAges);
        leftovers = Map.copyOf(leftovers);
        java.util.Objects.requireNonNull(daemons, "daemons");
    }

    /** Facts without chronyd's process (an ntpd host's). */
    public ProbeFacts(Optional<String> ntpdVersion, boolean chronyd, OptionalLong ntpdPid, String ntpdArgs,
                      ServiceManager manager, Set<String> services, List<String> osId, Map<String, RemoteFile> files,
                      OptionalLong ntpdAgeSeconds, Map<String, Long> fileAges, Map<String, String> leftovers,
                      TimeDaemons daemons) {
        this(ntpdVersion, chronyd, ntpdPid, ntpdArgs, manager, services, osId, files, ntpdAgeSeconds, fileAges,
                leftovers, daemons, OptionalLong.empty(), OptionalLong.empty());
    }

    /** Facts without the time daemons' processes and units (an older probe's output). */
    public ProbeFacts(Optional<String> ntpdVersion, boolean chronyd, OptionalLong ntpdPid, String ntpdArgs,
                      ServiceManager manager, Set<String> services, List<String> osId, Map<String, RemoteFile> files,
                      OptionalLong ntpdAgeSeconds, Map<String, Long> fileAges, Map<String, String> leftovers) {
        this(ntpdVersion, chronyd, ntpdPid, ntpdArgs, manager, services, osId, files, ntpdAgeSeconds, fileAges,
                leftovers, TimeDaemons.UNKNOWN);
    }

    /** Facts without ages or leftovers (an older probe's output). */
    public ProbeFacts(Optional<String> ntpdVersion, boolean chronyd, OptionalLong ntpdPid, String ntpdArgs,
                      ServiceManager manager, Set<String> services, List<String> osId, Map<String, RemoteFile> files) {
        this(ntpdVersion, chronyd, ntpdPid, ntpdArgs, manager, services, osId, files, OptionalLong.empty(), Map.of(),
                Map.of());
    }

    /** This host's running daemon of {@code flavor}'s program (ntpd or chronyd), if any. */
    public OptionalLong daemonPid(Flavor flavor) {
        return flavor == Flavor.CHRONY ? chronydPid : ntpdPid;
    }

    /**
     * The running daemon of {@code flavor} started before {@code path} last changed: it never read the file (see
     * {@link ConfigAge}).
     */
    public boolean configChangedAfterStart(Flavor flavor, String path) {
        Long age = fileAges.get(path);
        return daemonPid(flavor).isPresent() && ConfigAge.changedAfterStart(age == null ? OptionalLong.empty()
                : OptionalLong.of(age), flavor == Flavor.CHRONY ? chronydAgeSeconds : ntpdAgeSeconds);
    }

    /** The running ntpd started before {@code path} last changed (see {@link #configChangedAfterStart(Flavor, String)}). */
    public boolean configChangedAfterStart(String path) {
        return configChangedAfterStart(Flavor.NTPSEC, path);
    }

    /** Which daemon family this host runs, or why ntpdeploy cannot configure it. */
    public record Detection(Optional<Flavor> flavor, String problem) {
    }

    /**
     * Which daemon family this host runs, or why ntpdeploy cannot configure it (ntp_flavor auto). The daemon that
     * runs decides: this host's ntpd, its flavor read from {@code ntpd --version}; else chrony when chronyd is
     * installed (where ntpd is installed too but not running, chronyd is the daemon that runs, or none is: declare
     * ntp_flavor to choose otherwise); else a stopped ntpd, the only daemon installed.
     */
    public Detection detectFlavor() {
        if (ntpdVersion.isPresent() && (ntpdRunning() || !chronyd)) {
            String v = ntpdVersion.get().toLowerCase(Locale.ROOT);
            if (v.contains("ntpsec")) {
                return new Detection(Optional.of(Flavor.NTPSEC), null);
            }
            if (v.matches(".*\\b4\\.\\d+\\.\\d+.*")) {
                return new Detection(Optional.of(Flavor.NTP), null);
            }
            return new Detection(Optional.empty(), "cannot tell the ntpd flavor from 'ntpd --version' ("
                    + ntpdVersion.get() + "): set ntp_flavor: ntp or ntpsec for this host");
        }
        if (chronyd) {
            return new Detection(Optional.of(Flavor.CHRONY), null);
        }
        return new Detection(Optional.empty(), "no time daemon installed (neither ntpd nor chronyd): install chrony"
                + " (RHEL, SUSE, Ubuntu, Debian 13) or ntpsec (Debian/Ubuntu), or set ntp_flavor for this host");
    }

    public RemoteFile file(String path) {
        return files.getOrDefault(path, RemoteFile.absent(path));
    }

    public boolean ntpdRunning() {
        return ntpdPid.isPresent();
    }
}
