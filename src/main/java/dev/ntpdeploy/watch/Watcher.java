package dev.ntpdeploy.watch;

import dev.ntpdeploy.Durations;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code ntpdeploy watch}: wires a verification round to the loop, the metrics endpoint, the history file and
 * the change log/hook, and stops it all cleanly on SIGTERM/SIGINT with exit status 0.
 */
public final class Watcher {

    /** How long a signal waits for the loop to close connections and the endpoint before the process exits anyway. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    /**
     * @param every           interval between round starts
     * @param metrics         where the Prometheus endpoint listens; empty = no endpoint
     * @param history         JSON-lines history file; empty = none
     * @param onChange        the operator's hook command; empty = none
     */
    public record Settings(Duration every, Optional<MetricsListen> metrics, Optional<Path> history,
                           long historyMaxBytes, int historyKeep, Optional<String> onChange, Duration hookTimeout) {
    }

    private final Settings settings;
    private final PrintWriter out;
    private final PrintWriter err;

    public Watcher(Settings settings, PrintWriter out, PrintWriter err) {
        this.settings = settings;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs until SIGTERM/SIGINT; the round is closed on the way out.
     * @throws IOException when the metrics endpoint cannot listen (before any round runs)
     */
    public int runUntilSignalled(VerificationRound round) throws IOException {
        Running running = start(round);
        CountDownLatch cleanedUp = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            running.loop().stop();
            running.hook().ifPresent(ChangeHook::close);
            try {
                if (!cleanedUp.await(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    err.println("watch: stopped without finishing cleanup within " + Durations.format(STOP_GRACE));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.flush();
            err.flush();
            // A signal makes the JVM exit 128+signal; a stop on request is a clean stop for systemd and scripts.
            Runtime.getRuntime().halt(0);
        }, "ntpdeploy-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            running.loopUntilStopped();
        } finally {
            cleanedUp.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException shuttingDown) {
            // a signal is being handled: its hook ends the process with 0
        }
        return 0;
    }

    /** Starts the endpoint and builds the loop without running it (tests drive it and stop it). */
    public Running start(VerificationRound round) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        FleetMetrics metrics = new FleetMetrics(settings.every(), round::offsetLimitMs);
        registry.register(metrics);
        Optional<HTTPServer> server = Optional.empty();
        if (settings.metrics().isPresent()) {
            server = Optional.of(settings.metrics().get().start(registry));
            err.println("watch: metrics on http://" + settings.metrics().get().host() + ":" + server.get().getPort()
                    + "/metrics");
        }
        Consumer<String> log = err::println;
        Optional<ChangeHook> hook = settings.onChange().map(cmd -> new ChangeHook(cmd, settings.hookTimeout(), log));
        List<RoundListener> listeners = new ArrayList<>();
        listeners.add(metrics);
        if (settings.history().isPresent()) {
            listeners.add(new HistoryLog(settings.history().get(), settings.historyMaxBytes(), settings.historyKeep()));
        }
        listeners.add(r -> out.println(summary(r)));
        listeners.add(new StateChanges(log, c -> hook.ifPresent(h -> h.accept(c))));
        WatchLoop loop = new WatchLoop(round, settings.every(), listeners, log, Clock.systemUTC());
        return new Running(loop, round, server, hook, err);
    }

    /** A started watch: the loop, and what must be closed when it ends. */
    public record Running(WatchLoop loop, VerificationRound round, Optional<HTTPServer> server,
                          Optional<ChangeHook> hook, PrintWriter err) {

        public int port() {
            return server.map(HTTPServer::getPort).orElse(-1);
        }

        /** Runs rounds until {@link WatchLoop#stop()}, then closes hook, round and endpoint. */
        public long loopUntilStopped() {
            try {
                return loop.run();
            } finally {
                hook.ifPresent(ChangeHook::close);
                try {
                    round.close();
                } catch (Exception e) {
                    err.println("watch: closing connections: " + WatchLoop.oneLine(e));
                }
                server.ifPresent(HTTPServer::close);
                err.println("watch: stopped");
            }
        }
    }

    /** One stdout line per round, for the journal: status, how many hosts are in sync, which are not. */
    static String summary(RoundResult r) {
        String head = r.startedAt() + " round " + r.number() + ": " + r.status();
        String took = " (" + String.format(java.util.Locale.ROOT, "%.1fs", r.duration().toNanos() / 1e9) + ")";
        if (r.failed()) {
            return head + ": " + r.error().orElse("") + took;
        }
        long ok = r.hosts().stream().filter(h -> h.synced().orElse(false)).count();
        String bad = r.hosts().stream().filter(h -> !h.synced().orElse(false))
                .map(h -> h.host() + " " + h.verdictText()).collect(Collectors.joining(", "));
        return head + ", " + ok + "/" + r.hosts().size() + " hosts in sync" + (bad.isEmpty() ? "" : "; not: " + bad)
                + took;
    }
}
