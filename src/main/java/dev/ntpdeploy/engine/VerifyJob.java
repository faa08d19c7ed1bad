package dev.ntpdeploy.engine;

import dev.ntpdeploy.Sha256;
import dev.ntpdeploy.facts.ClientLog;
import dev.ntpdeploy.facts.ConfigProbe;
import dev.ntpdeploy.facts.Daemon;
import dev.ntpdeploy.facts.HostObservation;
import dev.ntpdeploy.facts.NtpProbe;
import dev.ntpdeploy.facts.Unparseable;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.HostPattern;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.inventory.InventoryException;
import dev.ntpdeploy.inventory.Role;
import dev.ntpdeploy.render.ConfigRenderer;
import dev.ntpdeploy.render.RenderException;
import dev.ntpdeploy.transport.BecomeException;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.ExecResult;
import dev.ntpdeploy.transport.TransportException;
import dev.ntpdeploy.verify.HostInput;
import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.TopologyJudge;
import dev.ntpdeploy.verify.Verdict;
import dev.ntpdeploy.verify.VerifyResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Verification, the one entry for {@code verify}, apply's closing verification and each {@code watch} round
 * ({@link #run()}): select the hosts of the request's --limit, check that their configs render (a template error
 * stops before any host is contacted), add the masters of the clients selected (a client's verdict depends on its
 * masters' own state), open what the caller did not lend, judge, close what was opened here, and report the hosts
 * selected only. Read-only: nothing on a host changes.
 *
 * <p>Every host is probed once per round, in parallel, with {@link NtpProbe} over its one connection; the whole
 * topology is judged with the latest observation of every host ({@link TopologyJudge}).
 *
 * <p>Waiting for sync: while some host is pending (STARTING, SYNCING, or a client not yet synced whose master is
 * pending), only those hosts are probed again, every {@code pollInterval}, until nothing is pending or
 * {@code syncTimeout} has passed; then the still-pending hosts are judged with their grace windows closed
 * ({@link TopologyJudge#judgeAfterWaiting}). Hosts already judged final are not probed again.
 */
public final class VerifyJob {

    /** Waits between rounds (tests pass a fake that advances a fake clock). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /**
     * The hosts of one verification.
     *
     * @param reported the hosts --limit selected, reported (inventory order)
     * @param probed   they and the masters of the clients among them (inventory order)
     */
    public record Selection(List<Host> reported, List<Host> probed) {
    }

    private final VerifyRequest request;
    private final Inventory inventory;
    private final ConfigRenderer renderer;
    private final VerifyRequest.Settings settings;
    private final Consumer<String> progress;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private final BooleanSupplier cancelled;
    /** The daemon of each host as the last run knew or resolved it (none for a host where none was found). */
    private final Map<String, Daemon> resolved = new ConcurrentHashMap<>();

    /**
     * @param progress  one line at a time, for stderr
     * @param cancelled polled between rounds: stop waiting (Ctrl-C) and return the latest judgement
     */
    VerifyJob(VerifyRequest request, Consumer<String> progress, LongSupplier nanoTime, Sleeper sleeper,
              BooleanSupplier cancelled) {
        this.request = request;
        this.inventory = request.inventory();
        this.renderer = request.renderer();
        this.settings = request.settings();
        this.progress = progress;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.cancelled = cancelled;
    }

    /** On the real clock; a wait for sync wakes early when {@code cancelled}. */
    public static VerifyJob of(VerifyRequest request, Consumer<String> progress, BooleanSupplier cancelled) {
        return new VerifyJob(request, progress, System::nanoTime, d -> sleepUnlessCancelled(d, cancelled), cancelled);
    }

    /**
     * The hosts to verify, checked: everything that can be refused is refused here, before any host is contacted.
     *
     * @throws InventoryException --limit is invalid or matches nothing
     * @throws RenderException    a selected host's config does not render (every flavor, for auto hosts)
     */
    public Selection select() throws InventoryException, RenderException {
        List<Host> reported = HostPattern.limit(request.limit(), inventory);
        checkRendering(inventory, reported, renderer);
        return new Selection(reported, withTheirMasters(inventory, reported));
    }

    /** {@link #select()}, then {@link #run(Selection)}. */
    public VerifyResult run() throws InventoryException, RenderException, TransportException {
        return run(select());
    }

    /**
     * Opens the probed hosts the request did not lend (nor already know unreachable), verifies, closes what it opened
     * and returns the verdicts of the reported hosts.
     *
     * @throws TransportException the hosts could not be opened at all (an unreadable --known-hosts, a prompt without a
     *                            terminal): nothing was contacted
     */
    public VerifyResult run(Selection selection) throws TransportException {
        resolved.clear();
        List<Host> toOpen = selection.probed().stream().filter(h -> !request.lent().containsKey(h.name())
                && !request.unreachable().containsKey(h.name())).toList();
        if (!toOpen.isEmpty() && !request.lent().isEmpty()) {
            progress.accept("connecting to " + toOpen.size() + " master(s) to judge their clients");
        }
        Connector.Opened opened = toOpen.isEmpty() ? new Connector.Opened(Map.of(), Map.of())
                : request.connector().openAll(toOpen);
        try {
            Map<String, Connection> open = new LinkedHashMap<>(request.lent());
            open.putAll(opened.connected());
            Map<String, String> unreachable = new LinkedHashMap<>(request.unreachable());
            unreachable.putAll(opened.unreachable());
            return rounds(selection.probed(), open, unreachable)
                    .only(selection.reported().stream().map(Host::name).toList());
        } finally {
            opened.connected().values().forEach(Connection::close);
        }
    }

    /**
     * The daemon of each host the last {@link #run} probed, as it was given ({@code knownDaemons}), declared or
     * detected: a caller that keeps its connections passes them back as {@code knownDaemons} (watch), so the next
     * run skips the identity probe. A host where no daemon was found, or not reached, has none.
     */
    public Map<String, Daemon> resolvedDaemons() {
        return Map.copyOf(resolved);
    }

    /**
     * The hosts to probe for a report on {@code reported}: they, plus every master when a client is among them
     * (a client's verdict depends on its masters' own state). Inventory order.
     */
    static List<Host> withTheirMasters(Inventory inventory, List<Host> reported) {
        boolean anyClient = reported.stream().anyMatch(h -> !h.isMaster());
        return inventory.hosts().stream().filter(h -> reported.contains(h) || anyClient && h.isMaster()).toList();
    }

    /** Renders every host's config (every flavor for auto) so a template error stops the run before any host is contacted. */
    static void checkRendering(Inventory inventory, List<Host> hosts, ConfigRenderer renderer) throws RenderException {
        for (Host h : hosts) {
            for (Flavor each : h.ntp().candidateFlavors()) {
                renderer.render(h, inventory, each);
            }
        }
    }

    /**
     * The hook that ends a real apply: the verification of the hosts apply's --limit selected over apply's own open
     * connections (lent), waiting for sync (daemons were just restarted); hosts apply could not reach are not tried
     * again. The masters of applied clients that apply did not touch are opened through {@code connector}; if even that
     * cannot start, they are judged unreachable rather than losing apply's report.
     */
    public static AfterApply afterApply(ConfigRenderer renderer, String limit, VerifyRequest.Settings settings,
                                        Consumer<String> progress, BooleanSupplier cancelled, Connector connector) {
        return (outcome, inventory, connections, daemons) -> {
            Map<String, String> unreachable = new LinkedHashMap<>();
            for (HostResult r : outcome.results()) {
                if (!connections.containsKey(r.host())) {
                    unreachable.put(r.host(), r.message());
                }
            }
            Connector orUnreachable = new Connector() {
                @Override
                public Dialer prepare() throws TransportException {
                    return connector.prepare();
                }

                @Override
                public Opened openAll(List<Host> hosts) {
                    try {
                        return connector.openAll(hosts);
                    } catch (TransportException e) {
                        Map<String, String> down = new LinkedHashMap<>();
                        hosts.forEach(h -> down.put(h.name(), e.getMessage()));
                        return new Opened(Map.of(), down);
                    }
                }
            };
            progress.accept("verifying " + outcome.results().size() + " host(s)");
            VerifyRequest request = new VerifyRequest(inventory, renderer, limit, settings, orUnreachable, connections,
                    unreachable, daemons);
            try {
                return Optional.of(of(request, progress, cancelled).run());
            } catch (InventoryException | RenderException | TransportException e) {
                // apply selected and rendered these very hosts before touching any
                throw new IllegalStateException("the closing verification refused what apply accepted: "
                        + e.getMessage(), e);
            }
        };
    }

    /** What one host is probed for: its daemon (whose config path is read) and the sha256 the inventory renders for it. */
    private record Target(Host host, Connection connection, Daemon daemon, Optional<String> renderedSha256) {
    }

    /**
     * The rounds: probe, judge, and while waiting for sync probe the pending hosts again. The request's known
     * daemons are not resolved again.
     *
     * @param hosts       the hosts to judge (inventory order); each is in {@code open} or in {@code unreachable}
     * @param open        open connections by host name (not closed here)
     * @param unreachable one-line reasons for hosts that could not be connected
     */
    private VerifyResult rounds(List<Host> hosts, Map<String, Connection> open, Map<String, String> unreachable) {
        Map<String, Daemon> knownDaemons = request.knownDaemons();
        long start = nanoTime.getAsLong();
        Map<String, HostInput> inputs = new ConcurrentHashMap<>();
        Map<String, Long> probedAt = new ConcurrentHashMap<>();
        Map<String, Target> targets = new ConcurrentHashMap<>();
        for (Host h : hosts) {
            if (!open.containsKey(h.name())) {
                inputs.put(h.name(), new HostInput.Unreachable(unreachable.getOrDefault(h.name(), "not connected")));
            }
        }
        // a round is judged on every host it probed: one interrupted mid-round still finishes its probes
        try (FanOut pool = new FanOut("verify-worker", settings.forks(), hosts.size(), () -> false, Duration.ZERO)) {
            List<Host> connected = hosts.stream().filter(h -> open.containsKey(h.name())).toList();
            // first round: find each host's config path (flavor detection for auto) and probe it, in one task
            probeEach(pool, connected, inputs, probedAt, h -> {
                Target t = target(h, open.get(h.name()), knownDaemons.get(h.name()));
                targets.put(h.name(), t);
                return probe(t);
            });
            Map<String, String> shown = new LinkedHashMap<>();
            boolean announced = false;
            while (true) {
                Map<String, HostInput> now = aged(inputs, probedAt);
                VerifyResult result = TopologyJudge.judge(inventory, now);
                Set<String> pending = pending(result);
                if (!settings.waitForSync() || pending.isEmpty() || cancelled.getAsBoolean()) {
                    if (announced) {
                        report(result, shown, start);
                        progress.accept((pending.isEmpty() ? "no host pending after " : "stopped waiting after ")
                                + elapsed(start) + " s" + (result.inSync() ? ": in sync" : ": " + result.status()));
                    }
                    return result;
                }
                if (!announced) {
                    progress.accept("waiting for sync of " + pending.size() + " host(s), up to "
                            + settings.syncTimeout().toSeconds() + " s (--sync-timeout)");
                    announced = true;
                }
                report(result, shown, start);
                long left = settings.syncTimeout().toNanos() - (nanoTime.getAsLong() - start);
                if (left <= 0) {
                    VerifyResult last = TopologyJudge.judgeAfterWaiting(inventory, now,
                            Duration.ofNanos(nanoTime.getAsLong() - start));
                    progress.accept("gave up waiting after " + elapsed(start) + " s: " + String.join(", ", pending)
                            + " still not in sync");
                    return last;
                }
                try {
                    sleeper.sleep(Duration.ofNanos(Math.min(left, settings.pollInterval().toNanos())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return result;
                }
                if (cancelled.getAsBoolean()) {
                    continue; // judged once more without probing again, and returned
                }
                Set<String> listsToRenew = listsToRenew(result, pending, inputs);
                List<Host> again = hosts.stream().filter(h -> (pending.contains(h.name())
                        || listsToRenew.contains(h.name())) && targets.containsKey(h.name())).toList();
                probeEach(pool, again, inputs, probedAt, h -> probe(targets.get(h.name())));
            }
        }
    }

    /** Sleeps {@code d}, in slices, waking early when cancelled (Ctrl-C should not wait out a poll interval). */
    static void sleepUnlessCancelled(Duration d, BooleanSupplier cancelled) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        for (long left = d.toNanos(); left > 0 && !cancelled.getAsBoolean(); left = end - System.nanoTime()) {
            Thread.sleep(Math.max(1, Math.min(100, left / 1_000_000)));
        }
    }

    /**
     * The latest observation of every host as of now: a host judged final earlier is not probed again, but its
     * ntpd kept running since, so its age moves on (a master restarted 5 s before its only probe is not "just
     * restarted" a minute later, which its clients' grace depends on), and so does its config file's.
     */
    private Map<String, HostInput> aged(Map<String, HostInput> inputs, Map<String, Long> probedAt) {
        long t = nanoTime.getAsLong();
        Map<String, HostInput> out = new LinkedHashMap<>();
        inputs.forEach((host, in) -> {
            long age = Duration.ofNanos(t - probedAt.getOrDefault(host, t)).toSeconds();
            if (in instanceof HostInput.Reached r && age > 0) {
                out.put(host, new HostInput.Reached(r.observation().aged(age), r.renderedSha256(), r.daemon()));
            } else {
                out.put(host, in);
            }
        });
        return out;
    }

    /**
     * Masters probed again beside their pending clients although their own verdict is final: those whose record of
     * the hosts they served was read (the check from both ends judges each client against it), which must be as
     * fresh as the clients' own state: a list read before a client restarted cannot hold the new daemon's requests.
     */
    static Set<String> listsToRenew(VerifyResult result, Set<String> pending, Map<String, HostInput> inputs) {
        boolean clientPending = result.hosts().stream().anyMatch(h -> h.role() == Role.CLIENT && pending.contains(h.host()));
        Set<String> out = new LinkedHashSet<>();
        for (HostVerdict h : result.hosts()) {
            if (clientPending && h.role() == Role.MASTER && inputs.get(h.host()) instanceof HostInput.Reached r
                    && r.observation().clientLog().filter(l -> l instanceof ClientLog.Kept).isPresent()) {
                out.add(h.host());
            }
        }
        return out;
    }

    /**
     * Hosts to probe again: pending verdicts, and clients not yet synced while one of their masters is pending
     * (their state follows the master's).
     */
    static Set<String> pending(VerifyResult result) {
        Set<String> out = new LinkedHashSet<>();
        boolean masterPending = false;
        for (HostVerdict h : result.hosts()) {
            if (h.verdict().pending()) {
                out.add(h.host());
                masterPending |= h.role() == Role.MASTER;
            }
        }
        if (masterPending) {
            for (HostVerdict h : result.hosts()) {
                if (h.role() == Role.CLIENT && h.verdict() != Verdict.SYNCED
                        && h.verdict() != Verdict.UNREACHABLE) {
                    out.add(h.host());
                }
            }
        }
        return out;
    }

    /** One progress line per host whose state changed since the last line printed for it. */
    private void report(VerifyResult result, Map<String, String> shown, long start) {
        for (HostVerdict h : result.hosts()) {
            String line = progressLine(h);
            if (!line.equals(shown.get(h.host()))) {
                shown.put(h.host(), line);
                progress.accept(String.format("[%4ds] %s", elapsed(start), line));
            }
        }
    }

    /** {@code lab-h2: SYNCING stratum 16 reach 7 (SYNCING)}. */
    static String progressLine(HostVerdict h) {
        StringBuilder s = new StringBuilder(h.host()).append(": ").append(h.verdictText());
        if (h.peer() != null) {
            s.append(" peer ").append(h.peer());
        }
        if (h.stratum() != null) {
            s.append(" stratum ").append(h.stratum());
        }
        if (h.reach() != null) {
            s.append(" reach ").append(Integer.toOctalString(h.reach()));
        }
        if (!h.findings().isEmpty()) {
            s.append(" (").append(h.findings().get(0).code()).append(')');
        }
        return s.toString();
    }

    private long elapsed(long start) {
        return Duration.ofNanos(nanoTime.getAsLong() - start).toSeconds();
    }

    /** A host whose probe could not run (connection lost, sudo refused): judged with this reason. */
    private static final class ProbeFailed extends Exception {
        final boolean becomeRefused;

        ProbeFailed(String message) {
            this(message, false);
        }

        ProbeFailed(String message, boolean becomeRefused) {
            super(message);
            this.becomeRefused = becomeRefused;
        }
    }

    /** @param known the daemon apply already resolved for this host, or null */
    private Target target(Host h, Connection c, Daemon known) throws ProbeFailed {
        Daemon daemon = known != null ? known : resolve(h, c).orElse(null);
        if (daemon == null) {
            // no ntpd to detect: probe the usual place; the judge reports what is missing
            return new Target(h, c, Daemon.assumed(h.ntp()), Optional.empty());
        }
        resolved.put(h.name(), daemon);
        Optional<String> sha;
        try {
            sha = Optional.of(Sha256.hex(renderer.render(h, inventory, daemon.flavor())));
        } catch (RenderException e) {
            sha = Optional.empty(); // the caller validated rendering before connecting; never fatal here
        }
        return new Target(h, c, daemon, sha);
    }

    /**
     * The host's daemon: from the inventory alone when it declares the flavor, else from apply's identity probe
     * (one {@link ConfigProbe#identity} exec, no file read) for {@code ntp_flavor: auto}. Empty when no daemon
     * ntpdeploy configures was found.
     */
    private Optional<Daemon> resolve(Host h, Connection c) throws ProbeFailed {
        if (h.ntp().flavor().isPresent()) {
            return Daemon.resolve(h.ntp(), Optional.empty()).daemon();
        }
        ConfigProbe identity = ConfigProbe.identity(dev.ntpdeploy.ops.ChangeUnit.Places.HOST.state());
        ExecResult r = exec(c, identity.command());
        try {
            return Daemon.resolve(h.ntp(), Optional.of(identity.process(r.stdout()))).daemon();
        } catch (IllegalArgumentException e) {
            throw new ProbeFailed(failure("flavor probe", r));
        }
    }

    private HostInput probe(Target t) throws ProbeFailed {
        NtpProbe probe = new NtpProbe(t.daemon().confPath(), t.daemon().flavor().queryTool(), t.host().isMaster());
        ExecResult r = exec(t.connection(), probe.command());
        if (!NtpProbe.started(r.stdout())) {
            throw new ProbeFailed(failure("probe", r));
        }
        try {
            return new HostInput.Reached(probe.process(r.stdout()), t.renderedSha256(), t.daemon());
        } catch (RuntimeException | StackOverflowError e) {
            return unparseable("the parser failed on it: " + Unparseable.describe(e), r.stdout(), t.daemon());
        }
    }

    /**
     * A host whose output could not be read: its UNPARSEABLE_OUTPUT (state unknown) with that text as evidence. No
     * rendered hash, so nothing about its config is claimed.
     */
    static HostInput unparseable(String reason, String raw, Daemon daemon) {
        Unparseable u = new Unparseable(reason, raw == null ? "" : raw);
        return new HostInput.Reached(new HostObservation(u, u, List.of(), false, List.of(), Optional.empty(), true,
                List.of(), true), Optional.empty(), daemon);
    }

    private ExecResult exec(Connection c, String command) throws ProbeFailed {
        try {
            return c.execPrivileged(command, null, settings.commandTimeout());
        } catch (IOException e) {
            throw new ProbeFailed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
                    e instanceof BecomeException);
        }
    }

    private static String failure(String what, ExecResult r) {
        String err = r.stderr().strip().lines().findFirst().orElse("no error output");
        return what + " failed (exit " + r.exitCode() + "): " + err;
    }

    private interface HostProbe {
        HostInput run(Host h) throws ProbeFailed;
    }

    /**
     * Probes the hosts in parallel and records each one's input and when it was taken. A host's trouble stays that
     * host's: a probe that could not run is UNREACHABLE, and anything a probe throws (output no parser rule
     * foresaw) is its UNPARSEABLE_OUTPUT; the others are judged as usual.
     */
    private void probeEach(FanOut pool, List<Host> hosts, Map<String, HostInput> inputs,
                           Map<String, Long> probedAt, HostProbe probe) {
        pool.all(hosts, h -> {
            HostInput in;
            try {
                in = probe.run(h);
            } catch (ProbeFailed e) {
                in = e.becomeRefused ? new HostInput.BecomeRefused(e.getMessage())
                        : new HostInput.Unreachable(e.getMessage());
            }
            inputs.put(h.name(), in);
            probedAt.put(h.name(), nanoTime.getAsLong());
            return in;
        }, (h, e) -> {
            HostInput in = unparseable("its verification failed: " + Unparseable.describe(e), "", Daemon.assumed(h.ntp()));
            inputs.put(h.name(), in);
            probedAt.put(h.name(), nanoTime.getAsLong());
            return in;
        }, h -> inputs.get(h.name()));
    }
}
