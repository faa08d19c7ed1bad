package dev.ntpdeploy.verify;

import dev.ntpdeploy.facts.Daemon;
import dev.ntpdeploy.facts.HostObservation;
import dev.ntpdeploy.facts.TimeDaemon;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.NtpSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One reached host while it is judged: what it should be (inventory), what its daemon says ({@link SyncState}),
 * what else the probe saw, and the findings so far. Every finding is made here, so the parameters all texts share
 * come from one place: host, {@link #service()} and {@link #confPath()} (what fix texts name), {@link #daemon()}
 * and its age, and the queries that show the daemon's source selection and its own state ({@code Flavor}).
 */
final class HostContext {

    final Host host;
    final HostObservation obs;
    final SyncState state;
    final Daemon daemon;
    final List<Finding> findings = new ArrayList<>();
    /** Whether the config file on the host differs from the rendered one (missing differs); empty: not compared. */
    Optional<Boolean> configDiffers = Optional.empty();

    HostContext(Host host, HostObservation obs, SyncState state, Daemon daemon) {
        this.host = host;
        this.obs = obs;
        this.state = state;
        this.daemon = daemon;
    }

    NtpSpec ntp() {
        return host.ntp();
    }

    String name() {
        return host.name();
    }

    /** The service unit fix texts name (systemctl, journalctl). */
    String service() {
        return daemon.service();
    }

    /** The config file fix texts name. */
    String confPath() {
        return daemon.confPath();
    }

    /** The daemon's program name, for texts that hold for any daemon. */
    String daemon() {
        return daemon.binary();
    }

    /** Seconds since the daemon started (MAX_VALUE when unknown: never inside a window). */
    long uptime() {
        return obs.uptimeSeconds(daemon.flavor()).orElse(Long.MAX_VALUE);
    }

    /** "ntpd started 42 s ago", or that its age is unknown. */
    String daemonAge() {
        Optional<Long> uptime = obs.uptimeSeconds(daemon.flavor()).isPresent() ? Optional.of(uptime()) : Optional.empty();
        return Phrase.DAEMON_AGE.render("daemon", daemon(), "uptime", uptime);
    }

    /** Adds the finding {@code code} (a code with one text) with {@code params} as name, value pairs. */
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
     * The finding at its catalogue severity. {@code params} are name, value pairs, each a name the text uses;
     * the host's own parameters are added.
     */
    Finding finding(FindingCode code, String variant, List<String> evidence, Object... params) {
        FindingCode.Text text = code.text(variant);
        Map<String, Object> p = FindingTemplate.params(List.of(text.message(), text.fix()), params);
        p.putIfAbsent("host", host.name());
        p.putIfAbsent("service", service());
        p.putIfAbsent("confPath", confPath());
        p.putIfAbsent("daemon", daemon());
        p.putIfAbsent("daemonAge", daemonAge());
        p.putIfAbsent("selectionQuery", daemon.flavor().selectionQuery());
        p.putIfAbsent("statusQuery", daemon.flavor().statusQuery());
        // whether `ntpdeploy apply` switches the competing daemons off here (the fix texts of TWO_DAEMONS and
        // TIMESYNCD_RUNNING say so, or how to do it by hand): the rule is TimeDaemon's, the one apply plans with
        p.putIfAbsent("applyStopsOther", TimeDaemon.competitorsOf(daemon.flavor()).stream()
                .filter(TimeDaemon::holdsUdp123).allMatch(d -> d.stoppedByApply(host.ntp())));
        p.putIfAbsent("applyStopsTimesyncd", TimeDaemon.TIMESYNCD.stoppedByApply(host.ntp()));
        return code.finding(variant, p, evidence);
    }

    /**
     * The verdict with the findings so far; the state is unknown when one of them says so.
     *
     * @param shown the source the verdict is about: its reach is reported; peer/offset/jitter only when selected
     */
    HostVerdict verdict(Verdict v, Source shown) {
        if (v.pending() && findings.stream().anyMatch(f -> FindingCode.valueOf(f.code()).rulesOutSync())) {
            v = Verdict.UNSYNCED; // no grace window for a host that cannot converge
            findings.removeIf(f -> FindingCode.valueOf(f.code()).grace());
        }
        boolean selected = shown != null && shown.selected();
        return new HostVerdict(host.name(), host.role(), v, selected ? shown.address() : null, state.stratum(),
                selected ? shown.offsetMs() : null, selected ? shown.jitterMs() : null,
                shown == null ? null : shown.reach(), findings, unknown()).withDaemon(Optional.of(daemon.flavor()));
    }

    /** Serving without a selected source (orphan mode): the peer column names the mode. */
    HostVerdict servingAs(String mode) {
        return new HostVerdict(host.name(), host.role(), Verdict.SERVING, mode, state.stratum(), null, null, null,
                findings, unknown()).withDaemon(Optional.of(daemon.flavor()));
    }

    private boolean unknown() {
        return findings.stream().anyMatch(f -> FindingCode.valueOf(f.code()).stateUnknown());
    }
}
