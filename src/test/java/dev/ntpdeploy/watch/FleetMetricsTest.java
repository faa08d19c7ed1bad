package dev.ntpdeploy.watch;

import dev.ntpdeploy.BuildVersion;
import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.Status;
import dev.ntpdeploy.verify.Verdict;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Role;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static dev.ntpdeploy.watch.Fixtures.client;
import static dev.ntpdeploy.watch.Fixtures.master;
import static dev.ntpdeploy.watch.Fixtures.round;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scrapes the real endpoint over HTTP, as Prometheus would. */
class FleetMetricsTest {

    private FleetMetrics metrics;
    private HTTPServer server;

    @BeforeEach
    void start() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        metrics = new FleetMetrics(Duration.ofMinutes(5));
        registry.register(metrics);
        server = new MetricsListen("127.0.0.1", 0).start(registry);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static Map<String, Double> scrape(int port) throws Exception {
        return MetricsScrape.scrape(HttpClient.newHttpClient(), port);
    }

    @Test
    void exportsEachHostsStateWithHostAndRoleLabels() throws Exception {
        metrics.onRound(round(1, Status.WARNING, master("m1", "SERVING"), client("c1", "SYNCED", -2.5)));
        Map<String, Double> s = scrape(server.getPort());
        assertEquals(1.0, s.get("ntpdeploy_host_synced{host=\"m1\",role=\"master\"}"));
        assertEquals(1.0, s.get("ntpdeploy_host_synced{host=\"c1\",role=\"client\"}"));
        assertEquals(-0.0025, s.get("ntpdeploy_host_offset_seconds{host=\"c1\",role=\"client\"}"), 1e-12);
        assertEquals(0.00025, s.get("ntpdeploy_host_jitter_seconds{host=\"c1\",role=\"client\"}"), 1e-12);
        assertEquals(11.0, s.get("ntpdeploy_host_stratum{host=\"c1\",role=\"client\"}"));
        assertEquals(255.0, s.get("ntpdeploy_host_reach{host=\"c1\",role=\"client\"}"));
        assertEquals(0.0, s.get("ntpdeploy_config_drift{host=\"c1\",role=\"client\"}"));
        assertEquals(1.0, s.get("ntpdeploy_host_verdict{host=\"c1\",role=\"client\",verdict=\"SYNCED\"}"));
        assertEquals(0.0, s.get("ntpdeploy_host_verdict{host=\"c1\",role=\"client\",verdict=\"UNSYNCED\"}"));
        assertEquals(1.0, s.get("ntpdeploy_host_verdict{host=\"m1\",role=\"master\",verdict=\"SERVING\"}"));
        assertFalse(s.containsKey("ntpdeploy_host_verdict{host=\"m1\",role=\"master\",verdict=\"SYNCED\"}"));
        assertEquals(0.0, s.get("ntpdeploy_ssh_errors_total{host=\"c1\"}"));
        assertEquals(1.0, s.get("ntpdeploy_fleet_status"));
        assertEquals(1.5, s.get("ntpdeploy_round_duration_seconds"));
        double finished = Fixtures.T0.plusSeconds(60).plusMillis(1500).toEpochMilli() / 1000.0;
        assertEquals(finished, s.get("ntpdeploy_round_timestamp_seconds"));
        assertEquals(finished, s.get("ntpdeploy_host_last_success_timestamp_seconds{host=\"c1\",role=\"client\"}"));
        assertEquals(300.0, s.get("ntpdeploy_watch_interval_seconds"));
    }

    /**
     * Each host's own offset limit is exported beside its offset (the alert compares the two), and the build: a host
     * the limits do not know has no limit series (#13, metrics).
     */
    @Test
    void exportsEachHostsOffsetLimitAndTheBuild() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        FleetMetrics limited = new FleetMetrics(Duration.ofMinutes(5),
                host -> host.equals("c1") ? OptionalDouble.of(500) : OptionalDouble.empty());
        registry.register(limited);
        try (HTTPServer s2 = new MetricsListen("127.0.0.1", 0).start(registry)) {
            limited.onRound(round(1, Status.OK, master("m1", "SERVING"), client("c1", "SYNCED", -2.5)));
            Map<String, Double> s = scrape(s2.getPort());
            assertEquals(0.5, s.get("ntpdeploy_host_offset_limit_seconds{host=\"c1\",role=\"client\"}"));
            assertFalse(s.containsKey("ntpdeploy_host_offset_limit_seconds{host=\"m1\",role=\"master\"}"),
                    s.toString());
            assertEquals(1.0, s.get("ntpdeploy_build_info{version=\"" + BuildVersion.DEVELOPMENT + "\"}"), s.toString());
        }
    }

    /**
     * The names are the same for every daemon; a {@code daemon} label tells them apart (#15), kept for a host whose
     * daemon was known once (an auto host that is unreachable now), absent for a host whose daemon was never known.
     */
    @Test
    void labelsEachHostWithItsDaemonUnderTheSameNames() throws Exception {
        HostVerdict chronyMaster = master("m1", "SERVING").withDaemon(Optional.of(Flavor.CHRONY));
        HostVerdict ntpsecClient = client("c1", "DAEMON_DOWN", 0).withDaemon(Optional.of(Flavor.NTPSEC));
        HostVerdict neverKnown = Fixtures.unreachable("c2", Role.CLIENT, List.of());
        metrics.onRound(round(1, Status.CRITICAL, chronyMaster, ntpsecClient, neverKnown));
        metrics.onRound(round(2, Status.CRITICAL, chronyMaster, Fixtures.unreachable("c1", Role.CLIENT, List.of()),
                neverKnown));
        Map<String, Double> s = scrape(server.getPort());
        assertEquals(1.0, s.get("ntpdeploy_host_synced{daemon=\"chrony\",host=\"m1\",role=\"master\"}"), s::toString);
        assertEquals(10.0, s.get("ntpdeploy_host_stratum{daemon=\"chrony\",host=\"m1\",role=\"master\"}"));
        assertEquals(1.0, s.get("ntpdeploy_host_verdict{daemon=\"ntpsec\",host=\"c1\",role=\"client\","
                + "verdict=\"UNREACHABLE\"}"), s::toString);
        assertEquals(0.0, s.get("ntpdeploy_host_verdict{daemon=\"ntpsec\",host=\"c1\",role=\"client\","
                + "verdict=\"DAEMON_DOWN\"}"), s::toString);
        assertEquals(1.0, s.get("ntpdeploy_host_verdict{host=\"c2\",role=\"client\",verdict=\"UNREACHABLE\"}"),
                s::toString);
        assertTrue(s.keySet().stream().filter(k -> k.startsWith("ntpdeploy_host_")).allMatch(k -> k.contains("host=")),
                s::toString);
    }

    @Test
    void unknownValuesHaveNoSeriesAndSshErrorsCount() throws Exception {
        metrics.onRound(round(1, Status.OK, client("c1", "SYNCED", 1.0)));
        HostVerdict noDriftCheck = new HostVerdict("c2", Role.CLIENT, Verdict.SYNCING, null, 16, null, null, 3, List.of(),
                false);
        metrics.onRound(round(2, Status.CRITICAL, Fixtures.unreachable("c1", Role.CLIENT, List.of()), noDriftCheck));
        metrics.onRound(round(3, Status.CRITICAL, Fixtures.unreachable("c1", Role.CLIENT, List.of()), noDriftCheck));
        Map<String, Double> s = scrape(server.getPort());
        String c1 = "{host=\"c1\",role=\"client\"}";
        for (String name : List.of("ntpdeploy_host_synced", "ntpdeploy_host_offset_seconds", "ntpdeploy_host_jitter_seconds",
                "ntpdeploy_host_stratum", "ntpdeploy_host_reach", "ntpdeploy_config_drift")) {
            assertFalse(s.containsKey(name + c1), name + " exported for an unreachable host");
        }
        assertEquals(1.0, s.get("ntpdeploy_host_verdict{host=\"c1\",role=\"client\",verdict=\"UNREACHABLE\"}"));
        assertEquals(2.0, s.get("ntpdeploy_ssh_errors_total{host=\"c1\"}"));
        assertEquals(0.0, s.get("ntpdeploy_ssh_errors_total{host=\"c2\"}"));
        // the last success stays at round 1's end while the host is unreachable
        assertEquals(Fixtures.T0.plusSeconds(60).plusMillis(1500).toEpochMilli() / 1000.0,
                s.get("ntpdeploy_host_last_success_timestamp_seconds" + c1));
        String c2 = "{host=\"c2\",role=\"client\"}";
        assertEquals(0.0, s.get("ntpdeploy_host_synced" + c2));
        assertEquals(3.0, s.get("ntpdeploy_host_reach" + c2));
        assertFalse(s.containsKey("ntpdeploy_config_drift" + c2));
        assertFalse(s.containsKey("ntpdeploy_host_offset_seconds" + c2));
        assertEquals(2.0, s.get("ntpdeploy_fleet_status"));
    }

    @Test
    void aFailedRoundIsUnknownAndDropsHostGaugesButKeepsCounters() throws Exception {
        metrics.onRound(round(1, Status.OK, client("c1", "SYNCED", 1.0)));
        metrics.onRound(RoundResult.failed(2, Fixtures.T0, Duration.ofSeconds(2), "boom"));
        Map<String, Double> s = scrape(server.getPort());
        assertEquals(3.0, s.get("ntpdeploy_fleet_status"));
        assertTrue(s.keySet().stream().noneMatch(k -> k.startsWith("ntpdeploy_host_synced")), s.toString());
        assertTrue(s.keySet().stream().noneMatch(k -> k.startsWith("ntpdeploy_host_verdict")), s.toString());
        assertEquals(0.0, s.get("ntpdeploy_ssh_errors_total{host=\"c1\"}"));
        assertTrue(s.containsKey("ntpdeploy_host_last_success_timestamp_seconds{host=\"c1\",role=\"client\"}"));
    }

    @Test
    void beforeTheFirstRoundOnlyTheIntervalAndTheBuildAreExported() throws Exception {
        assertEquals(Map.of("ntpdeploy_watch_interval_seconds", 300.0,
                "ntpdeploy_build_info{version=\"" + BuildVersion.DEVELOPMENT + "\"}", 1.0), scrape(server.getPort()));
    }

    @Test
    void parsesListenAddresses() {
        assertEquals(Optional.empty(), MetricsListen.parse("none"));
        assertEquals(new MetricsListen("127.0.0.1", 9469), MetricsListen.parse(MetricsListen.DEFAULT).orElseThrow());
        assertEquals(new MetricsListen("::1", 9100), MetricsListen.parse("[::1]:9100").orElseThrow());
        assertEquals("[::1]:9100", MetricsListen.parse("[::1]:9100").orElseThrow().toString());
        for (String bad : List.of("9469", "localhost", "::1:9469", "host:99999", "host:", "")) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> MetricsListen.parse(bad), bad);
            assertTrue(e.getMessage().contains("HOST:PORT"), e.getMessage());
        }
    }
}
