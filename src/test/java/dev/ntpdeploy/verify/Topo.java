package dev.ntpdeploy.verify;

import dev.ntpdeploy.facts.ServiceManager;
import dev.ntpdeploy.facts.Daemon;
import dev.ntpdeploy.facts.HostObservation;
import dev.ntpdeploy.facts.NtpqPeers;
import dev.ntpdeploy.facts.SystemVars;
import dev.ntpdeploy.facts.SystemVarsReading;
import dev.ntpdeploy.inventory.Cidr;
import dev.ntpdeploy.inventory.ConnectionSpec;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.inventory.NtpSpec;
import dev.ntpdeploy.inventory.Role;
import dev.ntpdeploy.inventory.SourcePos;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Small inventories and observations for judge tests, built from the records directly (no YAML). */
final class Topo {

    static final String SHA = "12bb45a53a5ab361742126dacaaae79cf4242cfcb39f6c449eb9949306abb62a";
    static final String HEADER = "     remote           refid      st t when poll reach   delay   offset   jitter\n"
            + "===============================================================================\n";

    private Topo() {
    }

    static NtpSpec spec(List<String> upstream, boolean localClock, OptionalInt orphan, List<String> allow, String address,
                        double maxOffsetMs) {
        return new NtpSpec(upstream, localClock, 10, orphan, OptionalInt.empty(),
                allow.stream().map(c -> Cidr.parse(c).orElseThrow()).toList(), true, Optional.of(Flavor.NTPSEC), address, true,
                OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), Optional.empty(), List.of(), maxOffsetMs, true);
    }

    /** Master m1 at 127.0.0.1 that serves only its ntp_allow (ntp_serve_others: false): restrict default ignore. */
    static Host masterServingOnly(List<String> allow) {
        NtpSpec s = spec(List.of(), false, OptionalInt.of(10), allow, "127.0.0.1", 128);
        return host("m1", Role.MASTER, "127.0.0.1", new NtpSpec(s.upstream(), s.localClock(), s.localStratum(),
                s.orphanStratum(), s.orphanWait(), s.allow(), false, s.flavor(), s.serverAddress(), s.iburst(), s.minpoll(),
                s.maxpoll(), s.confPath(), s.service(), s.extra(), s.maxOffsetMs(), s.disableCompetitors()));
    }

    static Host host(String name, Role role, String address, NtpSpec spec) {
        return new Host(name, role, new ConnectionSpec(address, 22, "root", Optional.empty(), false, "root"), spec,
                Set.of(role == Role.MASTER ? "masters" : "clients"), Map.of(), new SourcePos(Path.of("inv.yml"), 1, 1));
    }

    /** Master reachable by clients at 127.0.0.1 (as in the lab captures). */
    static Host master(List<String> upstream, boolean localClock, OptionalInt orphan, List<String> allow) {
        return host("m1", Role.MASTER, "127.0.0.1", spec(upstream, localClock, orphan, allow, "127.0.0.1", 128));
    }

    static Host client(String name, String address) {
        return client(name, address, 128);
    }

    static Host client(String name, String address, double maxOffsetMs) {
        return host(name, Role.CLIENT, address, spec(List.of(), false, OptionalInt.empty(), List.of(), "", maxOffsetMs));
    }

    static Inventory inventory(Host... hosts) {
        return new Inventory(Path.of("inv.yml"), List.of(hosts));
    }

    static HostObservation obs(String peers, String rv, Long uptime) {
        SystemVarsReading v = SystemVars.parse(rv, 0);
        return new HostObservation(NtpqPeers.parse(peers, 0), v, uptime == null ? List.of() : List.of(uptime), false,
                List.of("ntpd"), Optional.of(SHA), true, List.of(), true);
    }

    /** A host where ntpq printed only an error (the same text for the billboard and rv calls). */
    static HostObservation failedObs(String ntpqText, List<Long> uptimes, boolean chronyd, List<String> owners,
                                     List<String> log) {
        return new HostObservation(NtpqPeers.parse(ntpqText, 0), SystemVars.parse(ntpqText, 0), uptimes, chronyd, owners,
                Optional.of(SHA), true, log, true);
    }

    /** The daemon the judge's hosts run: NTPsec as its package lays it out. */
    static final Daemon NTPSEC = new Daemon(Flavor.NTPSEC, "/etc/ntpsec/ntp.conf", "ntpsec", ServiceManager.SYSTEMD, "ntpd");

    static HostInput reached(HostObservation o) {
        return reached(o, NTPSEC);
    }

    static HostInput reached(HostObservation o, Daemon daemon) {
        return new HostInput.Reached(o, Optional.of(SHA), daemon);
    }

    static HostVerdict verdictOf(VerifyResult r, String host) {
        return r.hosts().stream().filter(h -> h.host().equals(host)).findFirst().orElseThrow();
    }

    static Finding finding(HostVerdict v, String code) {
        return v.findings().stream().filter(f -> f.code().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError(v.host() + " has no finding " + code + ": " + v.findings()));
    }
}
