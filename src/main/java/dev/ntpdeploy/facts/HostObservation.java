package dev.ntpdeploy.facts;

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
 */
public record HostObservation(NtpqPeers peers, SystemVarsReading systemVars, List<Long> ntpdUptimes,
                              boolean chronydRunning, List<String> udp123Owners, Optional<String> configSha256,
                              boolean configPresent, List<String> logLines, boolean complete) {

    public HostObservation {
        ntpdUptimes = List.copyOf(ntpdUptimes);
        udp123Owners = List.copyOf(udp123Owners);
        logLines = List.copyOf(logLines);
    }

    public boolean ntpdRunning() {
        return !ntpdUptimes.isEmpty();
    }

    /** Seconds since the youngest ntpd started (the one that answers after a restart). */
    public OptionalLong ntpdUptimeSeconds() {
        return ntpdUptimes.stream().mapToLong(Long::longValue).min();
    }
}
