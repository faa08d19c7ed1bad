package dev.ntpdeploy.verify;

import dev.ntpdeploy.facts.HostObservation;
import dev.ntpdeploy.facts.NtpqPeers;
import dev.ntpdeploy.facts.Peer;
import dev.ntpdeploy.facts.SystemVars;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.NtpSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One reached host while it is judged: what it is (inventory), what its daemon said, and the findings so far.
 * Every finding is made here, so the parameters all texts share (host, service, config path, daemon, its age) come
 * from one place: {@link #service()} and {@link #confPath()} are what fix texts name.
 */
final class HostContext {

    final Host host;
    final HostObservation obs;
    final List<Finding> findings = new ArrayList<>();
    final List<Peer> peers;
    final Optional<SystemVars> rv;

    HostContext(Host host, HostObservation obs) {
        this.host = host;
        this.obs = obs;
        this.peers = obs.peers() instanceof NtpqPeers.Table t ? t.peers() : List.of();
        this.rv = obs.systemVars() instanceof SystemVars v ? Optional.of(v) : Optional.empty();
    }

    NtpSpec ntp() {
        return host.ntp();
    }

    String name() {
        return host.name();
    }

    /** The service unit fix texts name (systemctl, journalctl). */
    String service() {
        return ntp().service().orElseGet(() -> ntp().flavor().service() != null ? ntp().flavor().service() : "ntp");
    }

    /** The config file fix texts name. */
    String confPath() {
        return ntp().confPath().orElseGet(() -> ntp().flavor().confPath() != null ? ntp().flavor().confPath()
                : "ntp.conf");
    }

    /** The daemon's program name, as texts that hold for any daemon name it. */
    String daemon() {
        return "ntpd";
    }

    Optional<Peer> sysPeer() {
        return peers.stream().filter(Peer::isSystemPeer).findFirst();
    }

    Integer stratum() {
        OptionalInt s = rv.map(SystemVars::stratum).orElse(OptionalInt.empty());
        if (s.isPresent()) {
            return s.getAsInt();
        }
        return sysPeer().map(p -> p.stratum() + 1).orElse(null);
    }

    /** Seconds since the daemon started (MAX_VALUE when unknown: never inside a window). */
    long uptime() {
        return obs.ntpdUptimeSeconds().orElse(Long.MAX_VALUE);
    }

    /** "ntpd started 42 s ago", or that its age is unknown. */
    String daemonAge() {
        return obs.ntpdUptimeSeconds().isPresent() ? daemon() + " started " + uptime() + " s ago"
                : daemon() + "'s age unknown";
    }

    /** Adds the finding {@code code} (one text) with {@code params} as name, value pairs. */
    void add(FindingCode code, List<String> evidence, Object... params) {
        findings.add(finding(code, "", evidence, params));
    }

    /** Adds the finding {@code code} told by its text {@code variant}. */
    void add(FindingCode code, String variant, List<String> evidence, Object... params) {
        findings.add(finding(code, variant, evidence, params));
    }

    Finding finding(FindingCode code, List<String> evidence, Object... params) {
        return finding(code, "", evidence, params);
    }

    /**
     * The finding at its catalogue severity. {@code params} are name, value pairs; each must be a name the text
     * uses (a misspelt one fails rather than vanishing), and the host's own parameters are added.
     */
    Finding finding(FindingCode code, String variant, List<String> evidence, Object... params) {
        if (params.length % 2 != 0) {
            throw new IllegalArgumentException("parameters come in name, value pairs: " + List.of(params));
        }
        FindingCode.Text text = code.text(variant);
        Map<String, Object> p = new HashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            String name = (String) params[i];
            if (!text.message().names().contains(name) && !text.fix().names().contains(name)) {
                throw new IllegalArgumentException(code + " does not use {{" + name + "}}");
            }
            p.put(name, params[i + 1]);
        }
        p.putIfAbsent("host", host.name());
        p.putIfAbsent("service", service());
        p.putIfAbsent("confPath", confPath());
        p.putIfAbsent("daemon", daemon());
        p.putIfAbsent("daemonAge", daemonAge());
        return code.finding(variant, p, evidence);
    }

    /**
     * The verdict with the findings so far; the state is unknown when one of them says so.
     *
     * @param shown the source the verdict is about: its reach is reported; peer/offset/jitter only when selected
     */
    HostVerdict verdict(Verdict v, Peer shown) {
        boolean selected = shown != null && shown.isSystemPeer();
        boolean unknown = findings.stream().anyMatch(f -> FindingCode.valueOf(f.code()).stateUnknown());
        return new HostVerdict(host.name(), host.role(), v, selected ? shown.remote() : null, stratum(),
                selected ? shown.offsetMs() : null, selected ? shown.jitterMs() : null,
                shown == null ? null : shown.reach(), findings, unknown);
    }
}
