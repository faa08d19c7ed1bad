package dev.ntpdeploy.engine;

import dev.ntpdeploy.facts.ConfigProbe;
import dev.ntpdeploy.facts.Daemon;
import dev.ntpdeploy.facts.ProbeFacts;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.inventory.InventoryException;
import dev.ntpdeploy.inventory.HostPattern;
import dev.ntpdeploy.inventory.InventoryLoader;
import dev.ntpdeploy.ops.ChangeUnit;
import dev.ntpdeploy.ops.RestartService;
import dev.ntpdeploy.ops.RunId;
import dev.ntpdeploy.render.ConfigRenderer;
import dev.ntpdeploy.render.RenderException;
import dev.ntpdeploy.transport.BecomeException;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.ExecResult;
import dev.ntpdeploy.transport.TransportException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The apply job, plan then execute (pyinfra's two phases), per host:
 * <ol>
 *   <li>load the inventory, select --limit, render every config (invalid input stops here: nothing touched);</li>
 *   <li>each host on its own ({@link Pipeline}): connect, probe with one command, plan; a dry run stops there;
 *       otherwise execute the plan as one {@link dev.ntpdeploy.ops.ChangeUnit}, masters as soon as they are
 *       planned, clients once every master is done. A slow or silent host holds up nobody but its clients
 *       when it is a master;</li>
 *   <li>the after-apply hook (verification) runs on the same open connections, then they close.</li>
 * </ol>
 */
public final class ApplyJob {

    private final Connector connector;
    private final ApplyListener listener;
    private final AfterApply afterApply;
    private final AtomicBoolean cancelled;
    private final RunId run;
    private final ChangeUnit.Places places;

    public ApplyJob(Connector connector, ApplyListener listener, AfterApply afterApply, AtomicBoolean cancelled) {
        this(connector, listener, afterApply, cancelled, RunId.current(), ChangeUnit.Places.HOST);
    }

    ApplyJob(Connector connector, ApplyListener listener, AfterApply afterApply, AtomicBoolean cancelled, RunId run,
             ChangeUnit.Places places) {
        this.connector = connector;
        this.listener = listener;
        this.afterApply = afterApply;
        this.cancelled = cancelled;
        this.run = run;
        this.places = places;
    }

    /**
     * @throws InventoryException the inventory or --limit is invalid: no host was contacted
     * @throws RenderException    a template does not render for some selected host: no host was contacted
     * @throws TransportException the run cannot reach any host (an unreadable --known-hosts, a prompt without a
     *                            terminal): no host was contacted
     */
    public ApplyOutcome run(ApplyRequest req) throws InventoryException, RenderException, TransportException {
        Input input = prepare(req);
        List<Host> hosts = input.hosts();
        if (cancelled.get()) {
            return new ApplyOutcome(hosts.stream().map(h -> skipped(h)).toList(), req.dryRun(), true);
        }
        Connector.Dialer dialer = connector.prepare();
        Map<String, Connection> open = new ConcurrentHashMap<>();
        Map<String, Daemon> daemons = new ConcurrentHashMap<>();
        try {
            listener.phase((req.dryRun() ? "checking " : "applying to ") + hosts.size() + " host(s), "
                    + Math.min(req.forks(), hosts.size()) + " at a time"
                    + (req.dryRun() ? "" : ": each changed as soon as it is planned, the clients once the masters are done"));
            HostApplier applier = new HostApplier(req.keepBackups(), run, places);
            List<HostResult> results = new Pipeline(req.forks(), cancelled, listener).run(hosts,
                    h -> prepareHost(req, h, input.rendered().get(h.name()), dialer, open, daemons),
                    req.dryRun() ? null : (h, p, note) -> applier.apply(p.plan(), p.connection()));
            ApplyOutcome outcome = new ApplyOutcome(results, req.dryRun(), cancelled.get());
            if (req.dryRun() || cancelled.get()) {
                return outcome;
            }
            // inventory order, for the hook and its report
            Map<String, Connection> connections = new LinkedHashMap<>();
            Map<String, Daemon> resolved = new LinkedHashMap<>();
            for (Host h : hosts) {
                if (open.containsKey(h.name())) {
                    connections.put(h.name(), open.get(h.name()));
                }
                if (daemons.containsKey(h.name())) {
                    resolved.put(h.name(), daemons.get(h.name()));
                }
            }
            return outcome.withVerified(afterApply.run(outcome, input.inventory(),
                    Collections.unmodifiableMap(connections), resolved));
        } finally {
            open.values().forEach(Connection::close);
        }
    }

    /** Connect, probe, plan one host: its plan, or already its result (unreachable, failed probe, dry run). */
    private Pipeline.Prepared prepareHost(ApplyRequest req, Host h, Map<Flavor, String> rendered, Connector.Dialer dialer,
                                          Map<String, Connection> open, Map<String, Daemon> daemons) {
        Connection c;
        try {
            c = dialer.open(h);
        } catch (TransportException e) {
            return Pipeline.Prepared.done(new HostResult(h.name(), h.role(), HostStatus.UNREACHABLE, e.getMessage(), null));
        }
        open.put(h.name(), c);
        if (cancelled.get()) {
            return Pipeline.Prepared.done(skipped(h));
        }
        ProbeFacts facts;
        try {
            ConfigProbe probe = new ConfigProbe(probePath(h), places.state());
            ExecResult r = c.execPrivileged(probe.command(), null, req.probeTimeout());
            if (!r.ok()) {
                String err = r.stderr().strip().lines().findFirst().orElse("no error output");
                return Pipeline.Prepared.done(new HostResult(h.name(), h.role(), HostStatus.FAILED,
                        "probe failed (exit " + r.exitCode() + "): " + err, null));
            }
            facts = probe.process(r.stdout());
        } catch (BecomeException e) {
            // logged in, but sudo refused: a failure with sudo's fix, not an unreachable host
            return Pipeline.Prepared.done(new HostResult(h.name(), h.role(), HostStatus.FAILED, message(e), null));
        } catch (IOException e) {
            return Pipeline.Prepared.done(new HostResult(h.name(), h.role(), HostStatus.UNREACHABLE, message(e), null));
        } catch (IllegalArgumentException e) {
            return Pipeline.Prepared.done(new HostResult(h.name(), h.role(), HostStatus.FAILED, e.getMessage(), null));
        }
        HostPlan plan = Planner.plan(h, facts, rendered);
        if (plan.problem().isPresent()) {
            return Pipeline.Prepared.done(new HostResult(h.name(), h.role(), HostStatus.FAILED, plan.problem().get(), null));
        }
        daemons.put(h.name(), plan.daemon());
        if (req.dryRun()) {
            synchronized (listener) {
                listener.planned(plan);
            }
            return Pipeline.Prepared.done(dryRunResult(plan));
        }
        return Pipeline.Prepared.planned(plan, c);
    }

    /** The selected hosts and their rendered configs; everything here is checked before any host is contacted. */
    private record Input(Inventory inventory, List<Host> hosts, Map<String, Map<Flavor, String>> rendered) {
    }

    private static Input prepare(ApplyRequest req) throws InventoryException, RenderException {
        Inventory inventory = InventoryLoader.load(req.inventory());
        List<Host> hosts = HostPattern.limit(req.limit(), inventory);
        ConfigRenderer renderer = new ConfigRenderer(req.templates());
        Map<String, Map<Flavor, String>> rendered = new LinkedHashMap<>();
        for (Host h : hosts) {
            rendered.put(h.name(), renderAll(renderer, h, inventory));
        }
        return new Input(inventory, hosts, rendered);
    }

    private static Map<Flavor, String> renderAll(ConfigRenderer renderer, Host h, Inventory inv) throws RenderException {
        Map<Flavor, String> out = new EnumMap<>(Flavor.class);
        // auto hosts get every rendering up front, so a template error stops the run before any host is touched
        for (Flavor f : h.ntp().candidateFlavors()) {
            out.put(f, renderer.render(h, inv, f));
        }
        return out;
    }

    /** The config path to probe besides every flavor's usual one: the host's own, when the inventory fixes it. */
    private static java.util.Optional<String> probePath(Host h) {
        return h.ntp().confPath().or(() -> h.ntp().flavor().map(Flavor::confPath));
    }

    private static HostResult dryRunResult(HostPlan p) {
        if (!p.changes()) {
            return withLeftoverNotes(new HostResult(p.host().name(), p.host().role(), HostStatus.OK, "no change", null), p);
        }
        List<String> would = new ArrayList<>();
        p.putFile().ifPresent(s -> would.add("would upload " + s.path() + " (" + String.join(", ", s.reasons()) + ")"));
        p.restart().ifPresent(s -> would.add("would " + (s.oldPid().isPresent() ? "restart " : "start ") + s.service()
                + switch (s.reason()) {
                    case NOT_RUNNING -> " (not running)";
                    case STALE -> " (" + s.why() + ")";
                    case CONFIG_CHANGED -> "";
                }));
        p.soleDaemon().ifPresent(s -> would.add("would " + s.planLine()));
        HostResult r = new HostResult(p.host().name(), p.host().role(), HostStatus.CHANGED, String.join("; ", would),
                p.diff().isEmpty() ? null : p.diff());
        return withLeftoverNotes(r, p);
    }

    private static HostResult withLeftoverNotes(HostResult r, HostPlan p) {
        for (String text : p.leftovers().values()) {
            r = r.withNote(HostApplier.leftoverNote(dev.ntpdeploy.ops.UnitReport.parse(text)));
        }
        return r;
    }

    private static HostResult skipped(Host h) {
        return new HostResult(h.name(), h.role(), HostStatus.SKIPPED, "interrupted before this host started", null);
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
