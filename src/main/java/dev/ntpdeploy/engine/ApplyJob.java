package dev.ntpdeploy.engine;

import dev.ntpdeploy.facts.ConfigProbe;
import dev.ntpdeploy.facts.ProbeFacts;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.inventory.InventoryException;
import dev.ntpdeploy.inventory.HostPattern;
import dev.ntpdeploy.inventory.InventoryLoader;
import dev.ntpdeploy.ops.FileInstaller;
import dev.ntpdeploy.render.ConfigRenderer;
import dev.ntpdeploy.render.RenderException;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.ExecResult;
import dev.ntpdeploy.transport.TransportException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The apply job, plan then execute (pyinfra's two phases):
 * <ol>
 *   <li>load the inventory, select --limit, render every config (invalid input stops here: nothing touched);</li>
 *   <li>connect to every host in parallel, probe it with one command, plan it;</li>
 *   <li>a dry run stops here; otherwise the {@link Executor} runs the plans, masters first;</li>
 *   <li>the after-apply hook (verification) runs on the same open connections, then they close.</li>
 * </ol>
 */
public final class ApplyJob {

    /** Input the job refused before touching any host (bad inventory, template or --limit). */
    public static final class InvalidInput extends Exception {
        public InvalidInput(String message) {
            super(message);
        }
    }

    private final Connector connector;
    private final FileInstaller installer;
    private final ApplyListener listener;
    private final AfterApply afterApply;
    private final AtomicBoolean cancelled;

    public ApplyJob(Connector connector, FileInstaller installer, ApplyListener listener, AfterApply afterApply,
                    AtomicBoolean cancelled) {
        this.connector = connector;
        this.installer = installer;
        this.listener = listener;
        this.afterApply = afterApply;
        this.cancelled = cancelled;
    }

    public ApplyOutcome run(ApplyRequest req) throws InvalidInput {
        Input input = prepare(req);
        List<Host> hosts = input.hosts();
        if (cancelled.get()) {
            return new ApplyOutcome(hosts.stream().map(ApplyJob::skipped).toList(), req.dryRun(), true, null);
        }
        listener.phase("connecting to " + hosts.size() + " host(s), " + Math.min(req.forks(), hosts.size()) + " at a time");
        Connector.Opened opened;
        try {
            opened = connector.openAll(hosts);
        } catch (TransportException e) {
            throw new InvalidInput(e.getMessage());
        }
        Map<String, Connection> open = opened.connected();
        try {
            Map<String, HostResult> early = new ConcurrentHashMap<>();
            for (Host h : hosts) {
                if (!open.containsKey(h.name())) {
                    HostResult r = new HostResult(h.name(), h.role(), HostStatus.UNREACHABLE,
                            opened.unreachable().getOrDefault(h.name(), "not connected"), null);
                    early.put(h.name(), r);
                    listener.finished(r);
                }
            }
            List<Host> reached = hosts.stream().filter(h -> open.containsKey(h.name())).toList();
            Map<String, HostPlan> plans = probeAndPlan(req, reached, input.rendered(), open, early);
            // the dry run is this run without its execute phase
            return req.dryRun() ? show(hosts, plans, early) : execute(req, input.inventory(), hosts, plans, early, open);
        } finally {
            open.values().forEach(Connection::close);
        }
    }

    /** The selected hosts and their rendered configs; everything here is checked before any host is contacted. */
    private record Input(Inventory inventory, List<Host> hosts, Map<String, Map<Flavor, String>> rendered) {
    }

    private static Input prepare(ApplyRequest req) throws InvalidInput {
        try {
            Inventory inventory = InventoryLoader.load(req.inventory());
            List<Host> hosts = HostPattern.parse(req.limit()).select(inventory);
            ConfigRenderer renderer = new ConfigRenderer(req.templates());
            Map<String, Map<Flavor, String>> rendered = new LinkedHashMap<>();
            for (Host h : hosts) {
                rendered.put(h.name(), renderAll(renderer, h, inventory));
            }
            return new Input(inventory, hosts, rendered);
        } catch (InventoryException | RenderException | IllegalArgumentException e) {
            throw new InvalidInput(e.getMessage());
        }
    }

    private ApplyOutcome show(List<Host> hosts, Map<String, HostPlan> plans, Map<String, HostResult> early) {
        List<HostResult> results = new ArrayList<>();
        for (Host h : hosts) {
            HostPlan p = plans.get(h.name());
            HostResult r = p == null ? early.get(h.name()) : dryRunResult(p);
            if (p != null) {
                listener.finished(r);
            }
            results.add(r);
        }
        return new ApplyOutcome(results, true, cancelled.get(), null);
    }

    private ApplyOutcome execute(ApplyRequest req, Inventory inventory, List<Host> hosts, Map<String, HostPlan> plans,
                                 Map<String, HostResult> early, Map<String, Connection> open) {
        Set<String> mastersDown = new LinkedHashSet<>();
        hosts.stream().filter(Host::isMaster).filter(h -> early.containsKey(h.name()))
                .forEach(h -> mastersDown.add(h.name()));
        List<Executor.Target> targets = hosts.stream().filter(h -> plans.containsKey(h.name()))
                .map(h -> new Executor.Target(plans.get(h.name()), open.get(h.name()))).toList();
        long nMasters = targets.stream().filter(t -> t.plan().host().isMaster()).count();
        listener.phase("applying " + nMasters + " master(s), then " + (targets.size() - nMasters) + " client(s)");
        List<HostResult> executed = new Executor(installer, req.keepBackups(), req.forks(), cancelled)
                .execute(targets, mastersDown, listener::finished);
        Map<String, HostResult> byHost = new LinkedHashMap<>(early);
        executed.forEach(r -> byHost.put(r.host(), r));
        ApplyOutcome outcome = new ApplyOutcome(hosts.stream().map(h -> byHost.get(h.name())).toList(), false,
                cancelled.get(), null);
        if (cancelled.get()) {
            return outcome;
        }
        Map<String, Flavor> flavors = new LinkedHashMap<>();
        plans.forEach((name, plan) -> flavors.put(name, plan.flavor()));
        return outcome.withAfterApply(afterApply.run(outcome, inventory, Collections.unmodifiableMap(open), flavors));
    }

    private static Map<Flavor, String> renderAll(ConfigRenderer renderer, Host h, Inventory inv) throws RenderException {
        Flavor declared = h.ntp().flavor();
        Map<Flavor, String> out = new EnumMap<>(Flavor.class);
        // auto hosts get both renderings up front, so a template error stops the run before any host is touched
        for (Flavor f : declared == null || declared == Flavor.AUTO ? List.of(Flavor.NTPSEC, Flavor.NTP) : List.of(declared)) {
            out.put(f, renderer.render(h, inv, f));
        }
        return out;
    }

    private Map<String, HostPlan> probeAndPlan(ApplyRequest req, List<Host> hosts, Map<String, Map<Flavor, String>> rendered,
                                               Map<String, Connection> open, Map<String, HostResult> early) {
        listener.phase("probing " + hosts.size() + " host(s)");
        Map<String, HostPlan> plans = new ConcurrentHashMap<>();
        AtomicInteger doneCount = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(req.forks(), hosts.size())), r -> {
            Thread t = new Thread(r, "probe-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Host h : hosts) {
                futures.add(pool.submit(() -> {
                    HostResult bad;
                    try {
                        bad = probeOne(req, h, rendered.get(h.name()), open, plans);
                    } catch (RuntimeException e) {
                        bad = new HostResult(h.name(), h.role(), HostStatus.FAILED, "internal error: " + e, null);
                    }
                    if (bad != null) {
                        early.put(h.name(), bad);
                        synchronized (listener) {
                            listener.finished(bad);
                        }
                    } else {
                        synchronized (listener) {
                            listener.planned(plans.get(h.name()));
                        }
                    }
                    int n = doneCount.incrementAndGet();
                    if (n % 10 == 0 && n < hosts.size()) {
                        listener.phase("probed " + n + "/" + hosts.size());
                    }
                }));
            }
            for (Future<?> f : futures) {
                awaitUninterruptibly(f);
            }
        } finally {
            pool.shutdown();
        }
        return plans;
    }

    /** @return a final result when the host cannot be planned (unreachable, failed probe), else null */
    private HostResult probeOne(ApplyRequest req, Host h, Map<Flavor, String> rendered, Map<String, Connection> open,
                                Map<String, HostPlan> plans) {
        if (cancelled.get()) {
            return skipped(h);
        }
        Connection c = open.get(h.name());
        ProbeFacts facts;
        try {
            ExecResult r = c.execPrivileged(ConfigProbe.command(probePath(h)), null, req.probeTimeout());
            if (!r.ok()) {
                String err = r.stderr().strip().lines().findFirst().orElse("no error output");
                return new HostResult(h.name(), h.role(), HostStatus.FAILED,
                        "probe failed (exit " + r.exitCode() + "): " + err, null);
            }
            facts = ConfigProbe.parse(r.stdout());
        } catch (IOException e) {
            return new HostResult(h.name(), h.role(), HostStatus.UNREACHABLE, message(e), null);
        } catch (IllegalArgumentException e) {
            return new HostResult(h.name(), h.role(), HostStatus.FAILED, e.getMessage(), null);
        }
        HostPlan plan = Planner.plan(h, facts, rendered);
        if (plan.problem().isPresent()) {
            return new HostResult(h.name(), h.role(), HostStatus.FAILED, plan.problem().get(), null);
        }
        plans.put(h.name(), plan);
        return null;
    }

    private static java.util.Optional<String> probePath(Host h) {
        if (h.ntp().confPath().isPresent()) {
            return h.ntp().confPath();
        }
        Flavor f = h.ntp().flavor();
        return f == null || f == Flavor.AUTO ? java.util.Optional.empty() : java.util.Optional.of(f.confPath());
    }

    private static HostResult dryRunResult(HostPlan p) {
        if (!p.changes()) {
            return new HostResult(p.host().name(), p.host().role(), HostStatus.OK, "no change", null);
        }
        List<String> would = new ArrayList<>();
        p.putFile().ifPresent(s -> would.add("would upload " + s.path() + " (" + String.join(", ", s.reasons()) + ")"));
        p.restart().ifPresent(s -> would.add("would " + (s.oldPid().isPresent() ? "restart " : "start ") + s.service()
                + (s.reason().equals("ntpd not running") ? " (not running)" : "")));
        return new HostResult(p.host().name(), p.host().role(), HostStatus.CHANGED, String.join("; ", would),
                p.diff().isEmpty() ? null : p.diff());
    }

    private static HostResult skipped(Host h) {
        return new HostResult(h.name(), h.role(), HostStatus.SKIPPED, "interrupted before this host started", null);
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void awaitUninterruptibly(Future<?> f) {
        boolean interrupted = false;
        while (true) {
            try {
                f.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (java.util.concurrent.ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
