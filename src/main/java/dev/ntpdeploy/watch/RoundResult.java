package dev.ntpdeploy.watch;

import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.Status;
import dev.ntpdeploy.verify.VerifyResult;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * One watch round: when it ran, how long it took, and what it saw. A round that failed as a whole
 * (the verification threw) has status UNKNOWN, no hosts and the error's one-line message.
 */
public record RoundResult(long number, Instant startedAt, Duration duration, Status status,
                          List<HostVerdict> hosts, Optional<String> error) {

    public RoundResult {
        hosts = List.copyOf(hosts);
    }

    public static RoundResult of(long number, Instant startedAt, Duration duration, VerifyResult result) {
        return new RoundResult(number, startedAt, duration, result.status(), result.hosts(), Optional.empty());
    }

    public static RoundResult failed(long number, Instant startedAt, Duration duration, String error) {
        return new RoundResult(number, startedAt, duration, Status.UNKNOWN, List.of(), Optional.of(error));
    }

    public boolean failed() {
        return error.isPresent();
    }

    public Instant finishedAt() {
        return startedAt.plus(duration).truncatedTo(ChronoUnit.MILLIS);
    }
}
