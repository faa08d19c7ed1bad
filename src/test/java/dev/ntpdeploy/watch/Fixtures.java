package dev.ntpdeploy.watch;

import dev.ntpdeploy.inventory.Role;
import dev.ntpdeploy.verify.Finding;
import dev.ntpdeploy.verify.Severity;
import dev.ntpdeploy.verify.Status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** Host and round results as verify would report them, for tests that must not need a fleet. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-11-25T20:00:00Z");

    private Fixtures() {
    }

    static HostResult master(String name, String verdict) {
        return new HostResult(name, Role.MASTER, verdict, Optional.of("LOCAL(0)"), OptionalInt.of(10),
                OptionalDouble.of(0.0), OptionalDouble.of(0.002), OptionalInt.of(0377), Optional.of(false), List.of(), false);
    }

    static HostResult client(String name, String verdict, double offsetMs, Finding... findings) {
        boolean synced = verdict.equals("SYNCED");
        return new HostResult(name, Role.CLIENT, verdict, synced ? Optional.of("10.77.0.1") : Optional.empty(),
                OptionalInt.of(synced ? 11 : 16), synced ? OptionalDouble.of(offsetMs) : OptionalDouble.empty(),
                synced ? OptionalDouble.of(0.25) : OptionalDouble.empty(), OptionalInt.of(synced ? 0377 : 0),
                Optional.of(false), List.of(findings), false);
    }

    static Finding finding(String code) {
        return new Finding(code, Severity.CRITICAL, "message for " + code, "fix for " + code, List.of());
    }

    static RoundResult round(long n, Status status, HostResult... hosts) {
        return RoundResult.of(n, T0.plusSeconds(60 * n), Duration.ofMillis(1500), new FleetState(status, List.of(hosts)));
    }
}
