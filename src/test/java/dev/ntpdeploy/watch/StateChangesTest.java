package dev.ntpdeploy.watch;

import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.verify.Status;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.ntpdeploy.watch.Fixtures.client;
import static dev.ntpdeploy.watch.Fixtures.finding;
import static dev.ntpdeploy.watch.Fixtures.master;
import static dev.ntpdeploy.watch.Fixtures.round;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateChangesTest {

    @Test
    void reportsLostSyncWithBothVerdictsAndTheFindingThatAppeared() {
        RoundResult before = round(1, Status.OK, master("m", "SERVING"), client("c1", "SYNCED", 1.0));
        RoundResult after = round(2, Status.CRITICAL, master("m", "SERVING"),
                client("c1", "DAEMON_DOWN", 0, finding("NTPD_NOT_RUNNING")));
        List<StateChange> changes = StateChanges.diff(before, after);
        assertEquals(2, changes.size(), changes.toString());
        StateChange lost = changes.get(0);
        assertEquals(StateChange.Kind.LOST_SYNC, lost.kind());
        assertEquals("c1", lost.host());
        assertEquals("SYNCED", lost.from());
        assertEquals("DAEMON_DOWN", lost.to());
        assertEquals(2, lost.round());
        assertEquals("watch: c1 (client) lost sync: SYNCED -> DAEMON_DOWN", lost.logLine());
        assertEquals(StateChange.Kind.FINDING_APPEARED, changes.get(1).kind());
        assertEquals("watch: c1 (client) finding appeared: NTPD_NOT_RUNNING (CRITICAL): message for NTPD_NOT_RUNNING",
                changes.get(1).logLine());
    }

    /** The log line names the daemon that is down; the hook's JSON keeps the verdict and the daemon apart (#15). */
    @Test
    void aDaemonDownLineNamesTheDaemonAndTheHookGetsItApart() {
        RoundResult before = round(1, Status.OK, client("c1", "SYNCED", 1.0).withDaemon(Optional.of(Flavor.CHRONY)));
        RoundResult after = round(2, Status.CRITICAL,
                client("c1", "DAEMON_DOWN", 0).withDaemon(Optional.of(Flavor.CHRONY)));
        StateChange lost = StateChanges.diff(before, after).get(0);
        assertEquals("watch: c1 (client) lost sync: SYNCED -> DAEMON_DOWN (chronyd)", lost.logLine());
        assertEquals("DAEMON_DOWN", lost.to());
        String json = RoundJson.change(lost);
        assertTrue(json.contains("\"daemon\":\"chrony\"") && json.contains("\"to\":\"DAEMON_DOWN\""), json);
    }

    @Test
    void reportsRecoveryAndTheClearedFinding() {
        RoundResult before = round(1, Status.CRITICAL, client("c1", "UNSYNCED", 0, finding("NO_REPLIES")));
        RoundResult after = round(2, Status.OK, client("c1", "SYNCED", 0.3));
        List<StateChange> changes = StateChanges.diff(before, after);
        assertEquals(List.of(StateChange.Kind.REGAINED_SYNC, StateChange.Kind.FINDING_CLEARED),
                changes.stream().map(StateChange::kind).toList());
        assertEquals("watch: c1 (client) in sync: UNSYNCED -> SYNCED", changes.get(0).logLine());
        assertEquals("watch: c1 (client) finding cleared: NO_REPLIES", changes.get(1).logLine());
    }

    @Test
    void unchangedHostsAndChangedOffsetsAreNotChanges() {
        RoundResult before = round(1, Status.OK, master("m", "SERVING"), client("c1", "SYNCED", 1.0));
        RoundResult after = round(2, Status.OK, master("m", "SERVING"), client("c1", "SYNCED", 9.0));
        assertTrue(StateChanges.diff(before, after).isEmpty());
    }

    @Test
    void aHostThatBecomesUnreachableHasLostSync() {
        RoundResult before = round(1, Status.OK, client("c1", "SYNCED", 1.0));
        RoundResult after = round(2, Status.UNKNOWN,
                Fixtures.unreachable("c1", dev.ntpdeploy.inventory.Role.CLIENT, List.of()));
        StateChange c = StateChanges.diff(before, after).get(0);
        assertEquals(StateChange.Kind.LOST_SYNC, c.kind());
        assertEquals("UNREACHABLE", c.to());
    }

    @Test
    void firstRoundIsTheBaselineAndFailedRoundsAreSkipped() {
        List<String> log = new ArrayList<>();
        List<StateChange> hooked = new ArrayList<>();
        StateChanges changes = new StateChanges(log::add, hooked::add);
        changes.onRound(round(1, Status.CRITICAL, client("c1", "UNSYNCED", 0)));
        changes.onRound(RoundResult.failed(2, Fixtures.T0, java.time.Duration.ZERO, "boom"));
        assertTrue(log.isEmpty(), log.toString());
        changes.onRound(round(3, Status.OK, client("c1", "SYNCED", 0.1)));
        assertEquals(List.of("watch: c1 (client) in sync: UNSYNCED -> SYNCED"), log);
        assertEquals(1, hooked.size());
        assertEquals(3, hooked.get(0).round());
    }

    @Test
    void aFailingHookIsLoggedAndTheOtherChangesStillRun() {
        List<String> log = new ArrayList<>();
        List<String> hooked = new ArrayList<>();
        StateChanges changes = new StateChanges(log::add, c -> {
            hooked.add(c.host());
            if (c.host().equals("c1")) {
                throw new IllegalStateException("hook broke");
            }
        });
        changes.onRound(round(1, Status.OK, client("c1", "SYNCED", 0), client("c2", "SYNCED", 0)));
        changes.onRound(round(2, Status.CRITICAL, client("c1", "UNSYNCED", 0), client("c2", "UNSYNCED", 0)));
        assertEquals(List.of("c1", "c2"), hooked);
        assertTrue(log.contains("watch: on-change hook for c1: hook broke"), log.toString());
    }
}
