package dev.ntpdeploy.watch;

import dev.ntpdeploy.inventory.Role;
import dev.ntpdeploy.verify.Finding;
import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.Severity;
import dev.ntpdeploy.verify.Status;
import dev.ntpdeploy.verify.Verdict;
import dev.ntpdeploy.verify.VerifyResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class VerifyResultsTest {

    private static final Finding DRIFT = new Finding("CONFIG_DRIFT", Severity.WARNING, "/etc/ntpsec/ntp.conf differs",
            "run apply --dry-run", List.of());

    @Test
    void carriesEveryFieldOfAJudgedHost() {
        HostVerdict c = new HostVerdict("c1", Role.CLIENT, Verdict.SYNCED, "10.77.0.1", 11, -0.25, 0.05, 0377,
                List.of(DRIFT), false);
        FleetState s = VerifyResults.toFleetState(new VerifyResult(List.of(c), Status.WARNING), java.util.Set.of("c1"));
        assertEquals(Status.WARNING, s.status());
        HostResult h = s.hosts().get(0);
        assertEquals(new HostResult("c1", Role.CLIENT, "SYNCED", Optional.of("10.77.0.1"), OptionalInt.of(11),
                OptionalDouble.of(-0.25), OptionalDouble.of(0.05), OptionalInt.of(255), Optional.of(true),
                List.of(DRIFT), false), h);
        assertEquals(Optional.of(true), h.synced());
    }

    @Test
    void unknownStaysUnknown() {
        HostVerdict unreadable = new HostVerdict("c2", Role.CLIENT, Verdict.UNSYNCED, null, null, null, null, null,
                List.of(), true);
        HostVerdict down = new HostVerdict("m1", Role.MASTER, Verdict.UNREACHABLE, null, null, null, null, null,
                List.of(), true);
        HostVerdict unchecked = new HostVerdict("c3", Role.CLIENT, Verdict.SYNCED, "10.77.0.1", 11, 0.1, 0.1, 255,
                List.of(), false);
        List<HostResult> hosts = VerifyResults.toFleetState(
                new VerifyResult(List.of(unreadable, down, unchecked), Status.UNKNOWN), java.util.Set.of()).hosts();
        assertEquals(Optional.empty(), hosts.get(0).synced());
        assertEquals(Optional.empty(), hosts.get(0).configDrift());
        assertEquals(OptionalDouble.empty(), hosts.get(0).offsetMs());
        assertFalse(hosts.get(1).reached());
        assertEquals(Optional.empty(), hosts.get(2).configDrift());
        assertEquals(Optional.of(false), VerifyResults.toHostResult(unchecked, true).configDrift());
    }
}
