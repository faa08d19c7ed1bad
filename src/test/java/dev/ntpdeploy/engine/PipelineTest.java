package dev.ntpdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Role;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Hosts flow through prepare (connect, probe, plan) and execute on their own; the one wait is masters first.
 * Pure logic: stages are lambdas that record events; a host made slow waits on a latch that only another host's
 * progress releases, so a pipeline that held every host at a barrier would make it wait out its (generous)
 * deadline and the test fail on the recorded order, never on a timing.
 */
class PipelineTest {

    static final long DEADLINE_S = 30;

    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    /** A host listed here does not finish preparing until the latch opens (or the deadline passes). */
    final Map<String, CountDownLatch> holdPrepare = new ConcurrentHashMap<>();
    /** Opened when that host has executed. */
    final Map<String, CountDownLatch> executedLatch = new ConcurrentHashMap<>();
    final Set<String> unreachable = ConcurrentHashMap.newKeySet();
    final Set<String> explodes = ConcurrentHashMap.newKeySet();
    final Set<String> failsExecute = ConcurrentHashMap.newKeySet();

    static List<Host> hosts(String... names) {
        List<Host> out = new ArrayList<>();
        for (String n : names) {
            out.add(TestHosts.host(n, n.startsWith("m") ? Role.MASTER : Role.CLIENT, Flavor.NTPSEC));
        }
        return out;
    }

    CountDownLatch executed(String host) {
        return executedLatch.computeIfAbsent(host, h -> new CountDownLatch(1));
    }

    Pipeline.Prepared prepare(Host h, boolean dryRun) {
        events.add(h.name() + " prepare");
        CountDownLatch hold = holdPrepare.get(h.name());
        if (hold != null) {
            try {
                if (!hold.await(DEADLINE_S, TimeUnit.SECONDS)) {
                    events.add(h.name() + " waited out its deadline");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (explodes.contains(h.name())) {
            throw new IllegalStateException("parser bug on " + h.name());
        }
        if (unreachable.contains(h.name())) {
            return Pipeline.Prepared.done(new HostResult(h.name(), h.role(), HostStatus.UNREACHABLE, "refused", null));
        }
        events.add(h.name() + " planned");
        return dryRun ? Pipeline.Prepared.done(new HostResult(h.name(), h.role(), HostStatus.CHANGED, "would", null))
                : Pipeline.Prepared.planned(null, null);
    }

    HostResult execute(Host h, String note) {
        events.add(h.name() + " execute");
        executed(h.name()).countDown();
        return new HostResult(h.name(), h.role(), failsExecute.contains(h.name()) ? HostStatus.FAILED : HostStatus.CHANGED,
                "done", null);
    }

    List<HostResult> run(List<Host> hosts, AtomicBoolean cancelled, boolean dryRun) {
        List<HostResult> streamed = Collections.synchronizedList(new ArrayList<>());
        ApplyListener listener = new ApplyListener() {
            @Override
            public void finished(HostResult r) {
                streamed.add(r);
            }
        };
        List<HostResult> results = new Pipeline(8, cancelled, listener).run(hosts, h -> prepare(h, dryRun),
                dryRun ? null : (h, p, note) -> execute(h, note));
        assertEquals(results.size(), streamed.size(), "every result is streamed as it finishes");
        assertEquals(hosts.stream().map(Host::name).toList(), results.stream().map(HostResult::host).toList(),
                "results in the given order");
        return results;
    }

    List<HostResult> run(List<Host> hosts) {
        return run(hosts, new AtomicBoolean(), false);
    }

    int at(String event) {
        int i = events.indexOf(event);
        assertTrue(i >= 0, "no '" + event + "' in " + events);
        return i;
    }

    @Test
    void mastersFinishBeforeAnyClientExecutes() {
        // the master is listed last: the order comes from roles, not from the list
        run(hosts("c2", "c3", "c4", "m1"));
        int masterDone = at("m1 execute");
        for (String c : List.of("c2", "c3", "c4")) {
            assertTrue(at(c + " execute") > masterDone, events.toString());
        }
    }

    @Test
    void aSlowClientDoesNotHoldBackTheOthersChanges() {
        // c2 finishes preparing only once c3 has executed: a barrier after the probe phase would deadlock it
        CountDownLatch c3Done = executed("c3");
        holdPrepare.put("c2", c3Done);
        List<HostResult> r = run(hosts("m1", "c2", "c3"));
        assertTrue(at("c3 execute") < at("c2 planned"), events.toString());
        assertTrue(!events.contains("c2 waited out its deadline"), events.toString());
        assertTrue(r.stream().allMatch(x -> x.status() == HostStatus.CHANGED), r.toString());
    }

    @Test
    void aSlowMasterHoldsBackOnlyTheClientsChangesNotTheirProbes() {
        // m1 finishes preparing only once both clients are planned: clients probe while the master is slow
        CountDownLatch clientsPlanned = new CountDownLatch(2);
        holdPrepare.put("m1", clientsPlanned);
        List<Host> hs = hosts("m1", "c2", "c3");
        new Pipeline(8, new AtomicBoolean(), new ApplyListener() { }).run(hs, h -> {
            Pipeline.Prepared p = prepare(h, false);
            if (!h.isMaster()) {
                clientsPlanned.countDown();
            }
            return p;
        }, (h, p, note) -> execute(h, note));
        assertTrue(!events.contains("m1 waited out its deadline"), events.toString());
        assertTrue(at("c2 planned") < at("m1 planned") && at("c3 planned") < at("m1 planned"), events.toString());
        assertTrue(at("c2 execute") > at("m1 execute") && at("c3 execute") > at("m1 execute"), events.toString());
    }

    @Test
    void anUnreachableOrFailedMasterIsNotedOnClientsWhichAreStillConfigured() {
        unreachable.add("m1");
        failsExecute.add("m2");
        List<HostResult> r = run(hosts("m1", "m2", "c3"));
        assertEquals(HostStatus.UNREACHABLE, r.get(0).status());
        assertEquals(HostStatus.FAILED, r.get(1).status());
        assertEquals(HostStatus.CHANGED, r.get(2).status());
        assertTrue(r.get(2).message().endsWith("configured, but master m1, m2 was not applied"), r.get(2).message());
    }

    @Test
    void oneHostsExceptionIsThatHostsFailureOnly() {
        explodes.add("c2");
        List<HostResult> r = run(hosts("m1", "c2", "c3"));
        assertEquals(HostStatus.FAILED, r.get(1).status());
        assertTrue(r.get(1).message().contains("parser bug on c2"), r.get(1).message());
        assertEquals(HostStatus.CHANGED, r.get(0).status());
        assertEquals(HostStatus.CHANGED, r.get(2).status());
    }

    @Test
    void aCancelledRunStartsNothing() {
        List<HostResult> r = run(hosts("m1", "c2"), new AtomicBoolean(true), false);
        assertTrue(r.stream().allMatch(x -> x.status() == HostStatus.SKIPPED), r.toString());
        assertTrue(events.isEmpty(), events.toString());
    }

    @Test
    void inADryRunClientsDoNotWaitForMasters() {
        CountDownLatch c2Planned = new CountDownLatch(1);
        holdPrepare.put("m1", c2Planned);
        List<Host> hs = hosts("m1", "c2");
        List<HostResult> r = new Pipeline(8, new AtomicBoolean(), new ApplyListener() {
            @Override
            public void finished(HostResult x) {
                if (x.host().equals("c2")) {
                    c2Planned.countDown(); // the client's result is out while the master still prepares
                }
            }
        }).run(hs, h -> prepare(h, true), null);
        assertTrue(!events.contains("m1 waited out its deadline"), events.toString());
        assertTrue(r.stream().allMatch(x -> x.status() == HostStatus.CHANGED), r.toString());
        assertTrue(events.stream().noneMatch(e -> e.endsWith(" execute")), events.toString());
    }
}
