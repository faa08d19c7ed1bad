package dev.ntpdeploy.facts;

import dev.ntpdeploy.inventory.Flavor;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything one probe round saw on one host (see {@link NtpProbe}).
 *
 * @param peers          the billboard, or why there is none
 * @param systemVars     rv, or why it could not be read (NO_REPLY when skipped after the billboard timed out)
 * @param ntpdUptimes    elapsed seconds of every running ntpd process (empty: none running)
 * @param chronydRunning a chronyd process exists (ntpdeploy manages ntpd only)
 * @param udp123Owners   process names holding UDP port 123 ("ntpd", "chronyd"...), when the probe could see them
 * @param configSha256   sha256 of the config file, empty when the file is missing or unreadable
 * @param configPresent  the config file exists
 * @param logLines       recent daemon log lines mentioning CONFIG / error / panic (at most 20)
 * @param complete       the probe printed its end marker (false: cut short, e.g. by the remote timeout)
 * @param configAgeSeconds seconds since the config file last changed (the host's clock against itself)
 * @param chronyc        chronyc's account (tracking, sources), or why there is none; empty when the probe did not ask
 *                       chronyc (a host managed as ntpd)
 * @param chronydUptimes elapsed seconds of every running chronyd process of this host (empty: none running)
 * @param timesyncdRunning systemd-timesyncd runs on this host (it sets the clock too, beside any daemon)
 * @param clientLog      a master's record of the hosts whose requests it received (the check from both ends);
 *                       empty when the probe did not ask (a client, or a daemon that did not answer at all)
 */
public record HostObservation(NtpqPeers peers, SystemVarsReading systemVars, List<Long> ntpdUptimes,
                              boolean chronydRunning, List<String> udp123Owners, Optional<String> configSha256,
                              boolean configPresent, List<String> logLines, boolean complete,
                              OptionalLong configAgeSeconds, Optional<Chronyc> chronyc,
                              List<Long> chronydUptimes, boolean timesyncdRunning, Optional<ClientLog> clientLog) {

    public HostObservation {
        ntpdUptimes = List.copyOf(ntpdUptimes);
        chronydUptimes = List.copyOf(chronydUptimes);
        udp123Owners = List.copyOf(udp123Owners);
        logLines = List.copyOf(logLines);
    }

    /** An observation without a master's client log. */
    public HostObservation(NtpqPeers peers, SystemVarsReading systemVars, List<Long> ntpdUptimes,
                           boolean chronydRunning, List<String> udp123Owners, Optional<String> configSha256,
                           boolean configPresent, List<String> logLines, boolean complete,
                           OptionalLong configAgeSeconds, Optional<Chronyc> chronyc, List<Long> chronydUptimes,
                           boolean timesyncdRunning) {
        this(peers, systemVars, ntpdUptimes, chronydRunning, udp123Owners, configSha256, configPresent, logLines,
                complete, configAgeSeconds, chronyc, chronydUptimes, timesyncdRunning, Optional.empty());
    }

    /** The same observation with a master's client log. */
    public HostObservation withClientLog(ClientLog log) {
        return new HostObservation(peers, systemVars, ntpdUptimes, chronydRunning, udp123Owners, configSha256,
                configPresent, logLines, complete, configAgeSeconds, chronyc, chronydUptimes, timesyncdRunning,
                Optional.of(log));
    }

    /** An observation without systemd-timesyncd. */
    public HostObservation(NtpqPeers peers, SystemVarsReading systemVars, List<Long> ntpdUptimes,
                           boolean chronydRunning, List<String> udp123Owners, Optional<String> configSha256,
                           boolean configPresent, List<String> logLines, boolean complete,
                           OptionalLong configAgeSeconds, Optional<Chronyc> chronyc, List<Long> chronydUptimes) {
        this(peers, systemVars, ntpdUptimes, chronydRunning, udp123Owners, configSha256, configPresent, logLines,
                complete, configAgeSeconds, chronyc, chronydUptimes, false);
    }

    /** An observation of an ntpd host (no chronyc section). */
    public HostObservation(NtpqPeers peers, SystemVarsReading systemVars, List<Long> ntpdUptimes,
                           boolean chronydRunning, List<String> udp123Owners, Optional<String> configSha256,
                           boolean configPresent, List<String> logLines, boolean complete,
                           OptionalLong configAgeSeconds) {
        this(peers, systemVars, ntpdUptimes, chronydRunning, udp123Owners, configSha256, configPresent, logLines,
                complete, configAgeSeconds, Optional.empty(), List.of());
    }

    /**
     * The same observation seen {@code seconds} later: every daemon, the config file and the last requests of a
     * master's clients are that much older.
     */
    public HostObservation aged(long seconds) {
        return new HostObservation(peers, systemVars, ntpdUptimes.stream().map(u -> u + seconds).toList(),
                chronydRunning, udp123Owners, configSha256, configPresent, logLines, complete,
                configAgeSeconds.isPresent() ? OptionalLong.of(configAgeSeconds.getAsLong() + seconds)
                        : OptionalLong.empty(), chronyc, chronydUptimes.stream().map(u -> u + seconds).toList(),
                timesyncdRunning, clientLog.map(l -> l.aged(seconds)));
    }

    /** An observation without the config's age (not judged for CONFIG_NOT_LOADED). */
    public HostObservation(NtpqPeers peers, SystemVarsReading systemVars, List<Long> ntpdUptimes,
                           boolean chronydRunning, List<String> udp123Owners, Optional<String> configSha256,
                           boolean configPresent, List<String> logLines, boolean complete) {
        this(peers, systemVars, ntpdUptimes, chronydRunning, udp123Owners, configSha256, configPresent, logLines,
                complete, OptionalLong.empty());
    }

    /** The running ntpd started before its config file last changed: it runs an older config (see {@link ConfigAge}). */
    public boolean configChangedAfterStart() {
        return ntpdRunning() && ConfigAge.changedAfterStart(configAgeSeconds, ntpdUptimeSeconds());
    }

    /** The running daemon of {@code flavor} started before its config file last changed. */
    public boolean configChangedAfterStart(Flavor flavor) {
        OptionalLong up = uptimeSeconds(flavor);
        return up.isPresent() && ConfigAge.changedAfterStart(configAgeSeconds, up);
    }

    /** Seconds since the youngest daemon of {@code flavor}'s program started (the one that answers). */
    public OptionalLong uptimeSeconds(Flavor flavor) {
        List<Long> ages = flavor.binary().equals("chronyd") ? chronydUptimes : ntpdUptimes;
        return ages.stream().mapToLong(Long::longValue).min();
    }

    public boolean ntpdRunning() {
        return !ntpdUptimes.isEmpty();
    }

    /** Seconds since the youngest ntpd started (the one that answers after a restart). */
    public OptionalLong ntpdUptimeSeconds() {
        return ntpdUptimes.stream().mapToLong(Long::longValue).min();
    }
}
