package dev.ntpdeploy.watch;

import dev.ntpdeploy.inventory.Role;
import dev.ntpdeploy.verify.Finding;
import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.Severity;
import dev.ntpdeploy.verify.Status;
import dev.ntpdeploy.verify.Verdict;
import dev.ntpdeploy.verify.VerifyResult;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Host and round results as verify would report them, for tests that must not need a fleet. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-11-25T20:00:00Z");

    private Fixtures() {
    }

    static HostVerdict master(String name, String verdict) {
        return new HostVerdict(name, Role.MASTER, Verdict.valueOf(verdict), "LOCAL(0)", 10, 0.0, 0.002, 0377, List.of(),
                false, Optional.of(false), Optional.empty());
    }

    static HostVerdict client(String name, String verdict, double offsetMs, Finding... findings) {
        boolean synced = verdict.equals("SYNCED");
        return new HostVerdict(name, Role.CLIENT, Verdict.valueOf(verdict), synced ? "10.77.0.1" : null,
                synced ? 11 : 16, synced ? offsetMs : null, synced ? 0.25 : null, synced ? 0377 : 0, List.of(findings),
                false, Optional.of(false), Optional.empty());
    }

    /** A host that could not be reached over SSH this round: nothing about its time is known. */
    static HostVerdict unreachable(String name, Role role, List<Finding> findings) {
        return new HostVerdict(name, role, Verdict.UNREACHABLE, null, null, null, null, null, findings, true);
    }

    static Finding finding(String code) {
        return new Finding(code, Severity.CRITICAL, "message for " + code, "fix for " + code, List.of());
    }

    static RoundResult round(long n, Status status, HostVerdict... hosts) {
        return RoundResult.of(n, T0.plusSeconds(60 * n), Duration.ofMillis(1500),
                new VerifyResult(List.of(hosts), status));
    }
}
