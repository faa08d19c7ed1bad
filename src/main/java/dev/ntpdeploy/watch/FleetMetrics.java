package dev.ntpdeploy.watch;

import dev.ntpdeploy.BuildVersion;
import dev.ntpdeploy.Exit;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Role;
import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.Verdict;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;

/**
 * The Prometheus view of the last round, built at scrape time from an immutable snapshot, so a scrape
 * never sees half of one round and half of the next. A value that is not known (host unreachable, no selected
 * peer, drift not checked, round failed) has no series rather than a made-up 0. Names: docs/watch.md "Metrics".
 */
public final class FleetMetrics implements MultiCollector, RoundListener {

    /** Every metric name this collector exposes (counters without the _total the exposition adds). */
    public static final List<String> NAMES = List.of(
            "ntpdeploy_host_synced", "ntpdeploy_host_verdict", "ntpdeploy_host_offset_seconds",
            "ntpdeploy_host_offset_limit_seconds", "ntpdeploy_host_jitter_seconds", "ntpdeploy_host_stratum", "ntpdeploy_host_reach",
            "ntpdeploy_host_last_success_timestamp_seconds", "ntpdeploy_ssh_errors", "ntpdeploy_config_drift",
            "ntpdeploy_round_duration_seconds", "ntpdeploy_round_timestamp_seconds", "ntpdeploy_fleet_status",
            "ntpdeploy_watch_interval_seconds", "ntpdeploy_build_info");

    /** @param daemons each host's daemon family as last known (an auto host keeps it while unreachable) */
    private record State(RoundResult last, Map<String, Role> roles, Map<String, Flavor> daemons,
                         Map<String, Long> sshErrors, Map<String, Instant> lastSuccess) {
    }

    private final Duration interval;
    private final Function<String, OptionalDouble> offsetLimitMs;
    private volatile State state = new State(null, Map.of(), Map.of(), Map.of(), Map.of());

    /** Without offset limits (no ntpdeploy_host_offset_limit_seconds series). */
    public FleetMetrics(Duration interval) {
        this(interval, host -> OptionalDouble.empty());
    }

    /** @param offsetLimitMs each host's {@code ntp_max_offset_ms}, exported so alerts compare against the host's own */
    public FleetMetrics(Duration interval, Function<String, OptionalDouble> offsetLimitMs) {
        this.interval = interval;
        this.offsetLimitMs = offsetLimitMs;
    }

    /** Called on the loop thread only; scrapes read the published snapshot. */
    @Override
    public void onRound(RoundResult round) {
        State s = state;
        Map<String, Role> roles = new LinkedHashMap<>(s.roles());
        Map<String, Flavor> daemons = new LinkedHashMap<>(s.daemons());
        Map<String, Long> sshErrors = new LinkedHashMap<>(s.sshErrors());
        Map<String, Instant> lastSuccess = new LinkedHashMap<>(s.lastSuccess());
        for (HostVerdict h : round.hosts()) {
            roles.put(h.host(), h.role());
            h.daemon().ifPresent(d -> daemons.put(h.host(), d));
            sshErrors.merge(h.host(), h.reached() ? 0L : 1L, Long::sum);
            if (h.reached()) {
                lastSuccess.put(h.host(), round.finishedAt());
            }
        }
        state = new State(round, Map.copyOf(roles), Map.copyOf(daemons), Map.copyOf(sshErrors),
                Map.copyOf(lastSuccess));
    }

    @Override
    public List<String> getPrometheusNames() {
        return NAMES;
    }

    @Override
    public MetricSnapshots collect() {
        State s = state;
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(gauge("ntpdeploy_watch_interval_seconds", "Interval between the starts of two watch rounds",
                Map.of(Labels.EMPTY, seconds(interval))));
        out.add(gauge("ntpdeploy_build_info", "Always 1; label version: the ntpdeploy that exports these metrics",
                Map.of(Labels.of("version", BuildVersion.get()), 1.0)));
        RoundResult r = s.last();
        if (r == null) {
            return new MetricSnapshots(out);
        }
        out.add(gauge("ntpdeploy_fleet_status", "Overall result of the last round: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN",
                Map.of(Labels.EMPTY, (double) Exit.of(r.status()).code())));
        out.add(gauge("ntpdeploy_round_duration_seconds", "How long the last round took",
                Map.of(Labels.EMPTY, seconds(r.duration()))));
        out.add(gauge("ntpdeploy_round_timestamp_seconds", "Unix time the last round finished",
                Map.of(Labels.EMPTY, epochSeconds(r.finishedAt()))));
        List<HostVerdict> hosts = r.hosts();
        out.add(hostGauge("ntpdeploy_host_synced", "1 if the client is synced to a master / the master is serving, "
                + "0 if not; absent when the host was not reached", hosts, s,
                h -> h.synced().map(b -> b ? 1.0 : 0.0)));
        out.add(verdicts(hosts, s));
        out.add(hostGauge("ntpdeploy_host_offset_seconds", "Offset to the selected peer", hosts, s,
                h -> Optional.ofNullable(h.offsetMs()).map(ms -> ms / 1000.0)));
        out.add(hostGauge("ntpdeploy_host_offset_limit_seconds", "The host's ntp_max_offset_ms: an offset beyond it is"
                + " CRITICAL (half of it warns)", hosts, s, h -> {
                    OptionalDouble ms = offsetLimitMs.apply(h.host());
                    return ms.isPresent() ? Optional.of(ms.getAsDouble() / 1000.0) : Optional.empty();
                }));
        out.add(hostGauge("ntpdeploy_host_jitter_seconds", "Jitter of the selected peer", hosts, s,
                h -> Optional.ofNullable(h.jitterMs()).map(ms -> ms / 1000.0)));
        out.add(hostGauge("ntpdeploy_host_stratum", "The host's own NTP stratum (16 = unsynchronised)", hosts, s,
                h -> Optional.ofNullable(h.stratum()).map(Integer::doubleValue)));
        out.add(hostGauge("ntpdeploy_host_reach", "Reach register of the selected peer as a number (octal 377 = 255)",
                hosts, s, h -> Optional.ofNullable(h.reach()).map(Integer::doubleValue)));
        out.add(hostGauge("ntpdeploy_config_drift", "1 if the config file on the host differs from the rendered one",
                hosts, s, h -> h.configDrift().map(b -> b ? 1.0 : 0.0)));
        Map<Labels, Double> success = new LinkedHashMap<>();
        s.lastSuccess().forEach((host, t) -> success.put(hostLabels(host, s), epochSeconds(t)));
        out.add(gauge("ntpdeploy_host_last_success_timestamp_seconds",
                "Unix time of the last round that reached the host over SSH and judged it", success));
        CounterSnapshot.Builder errors = CounterSnapshot.builder().name("ntpdeploy_ssh_errors")
                .help("Rounds in which the host could not be reached over SSH");
        s.sshErrors().forEach((host, n) -> errors.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of("host", host)).value(n).build()));
        out.add(errors.build());
        return new MetricSnapshots(out);
    }

    private static MetricSnapshot verdicts(List<HostVerdict> hosts, State s) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name("ntpdeploy_host_verdict")
                .help("1 for the host's current verdict, 0 for the other verdicts of its role");
        for (HostVerdict h : hosts) {
            Set<Verdict> verdicts = new LinkedHashSet<>(Verdict.of(h.role()));
            verdicts.add(h.verdict());
            for (Verdict v : verdicts) {
                b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(hostLabels(h.host(), s).add("verdict", v.name()))
                        .value(v == h.verdict() ? 1 : 0).build());
            }
        }
        return b.build();
    }

    private static MetricSnapshot hostGauge(String name, String help, List<HostVerdict> hosts, State s,
                                            Function<HostVerdict, Optional<Double>> value) {
        Map<Labels, Double> points = new LinkedHashMap<>();
        for (HostVerdict h : hosts) {
            value.apply(h).filter(Double::isFinite).ifPresent(v -> points.put(hostLabels(h.host(), s), v));
        }
        return gauge(name, help, points);
    }

    private static MetricSnapshot gauge(String name, String help, Map<Labels, Double> points) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        points.forEach((labels, v) -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(labels).value(v).build()));
        return b.build();
    }

    /**
     * A host's series labels: host, role, and daemon (ntp, ntpsec, chrony: the metric names are the same for every
     * daemon); no daemon label while the host's daemon is not known (an auto host never reached).
     */
    private static Labels hostLabels(String host, State s) {
        Labels l = Labels.of("host", host, "role", s.roles().get(host).word());
        Flavor d = s.daemons().get(host);
        return d == null ? l : l.add("daemon", d.word());
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static double epochSeconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }
}
