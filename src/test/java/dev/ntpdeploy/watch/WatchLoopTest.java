package dev.ntpdeploy.watch;

import dev.ntpdeploy.verify.Status;
import dev.ntpdeploy.verify.VerifyResult;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.ntpdeploy.watch.Fixtures.client;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatchLoopTest {

    private static final VerifyResult OK = new VerifyResult(List.of(client("c1", "SYNCED", 0.1)), Status.OK);

    /** Stops the loop once it has delivered {@code n} rounds. */
    private static RoundListener stopAfter(AtomicReference<WatchLoop> loop, int n) {
        return r -> {
            if (r.number() >= n) {
                loop.get().stop();
            }
        };
    }

    @Test
    void roundsNeverOverlapEvenWhenSlowerThanTheInterval() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        VerificationRound slow = () -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            Thread.sleep(5); // longer than the 1 ms interval: the next round must wait for this one
            inFlight.decrementAndGet();
            return OK;
        };
        AtomicReference<WatchLoop> loop = new AtomicReference<>();
        List<RoundResult> seen = new CopyOnWriteArrayList<>();
        loop.set(new WatchLoop(slow, Duration.ofMillis(1), List.of(seen::add, stopAfter(loop, 10)), s -> { },
                Clock.systemUTC()));
        assertEquals(10, loop.get().run());
        assertEquals(1, maxInFlight.get());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), seen.stream().map(RoundResult::number).toList());
    }

    @Test
    void aRoundThatThrowsIsAnUnknownRoundAndTheLoopGoesOn() {
        AtomicInteger calls = new AtomicInteger();
        VerificationRound flaky = () -> {
            if (calls.incrementAndGet() == 2) {
                throw new java.io.IOException("inventory unreadable:\n permission denied");
            }
            return OK;
        };
        AtomicReference<WatchLoop> loop = new AtomicReference<>();
        List<RoundResult> seen = new CopyOnWriteArrayList<>();
        List<String> log = new CopyOnWriteArrayList<>();
        loop.set(new WatchLoop(flaky, Duration.ofMillis(1), List.of(seen::add, stopAfter(loop, 3)), log::add,
                Clock.systemUTC()));
        loop.get().run();
        assertEquals(List.of(Status.OK, Status.UNKNOWN, Status.OK),
                seen.stream().map(RoundResult::status).toList());
        assertEquals("inventory unreadable: permission denied", seen.get(1).error().orElseThrow());
        assertTrue(seen.get(1).hosts().isEmpty());
        assertEquals(List.of("watch: round 2 failed, recorded as UNKNOWN: inventory unreadable: permission denied"), log);
    }

    @Test
    void aListenerThatThrowsIsLoggedAndTheOthersStillRun() {
        AtomicReference<WatchLoop> loop = new AtomicReference<>();
        List<RoundResult> seen = new CopyOnWriteArrayList<>();
        List<String> log = new CopyOnWriteArrayList<>();
        RoundListener broken = r -> {
            throw new java.io.IOException("disk full");
        };
        loop.set(new WatchLoop(() -> OK, Duration.ofMillis(1), List.of(broken, seen::add, stopAfter(loop, 2)),
                log::add, Clock.systemUTC()));
        loop.get().run();
        assertEquals(2, seen.size());
        assertEquals(List.of("watch: round 1: disk full", "watch: round 2: disk full"), log);
    }

    @Test
    void stopAbandonsARoundStuckInIoAndInterruptsIt() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        VerificationRound stuck = () -> {
            entered.countDown();
            try {
                new CountDownLatch(1).await(); // a host that never answers
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return OK;
        };
        List<String> log = new CopyOnWriteArrayList<>();
        WatchLoop loop = new WatchLoop(stuck, Duration.ofMinutes(5), List.of(), log::add, Clock.systemUTC());
        AtomicReference<Long> completed = new AtomicReference<>();
        Thread runner = new Thread(() -> completed.set(loop.run()));
        runner.start();
        assertTrue(entered.await(30, TimeUnit.SECONDS));
        loop.stop();
        runner.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(runner.isAlive(), "loop still running after stop");
        assertEquals(0L, completed.get());
        assertTrue(interrupted.await(30, TimeUnit.SECONDS), "abandoned round was not interrupted");
        assertEquals(List.of("watch: stopping: abandoning the running round"), log);
    }

    @Test
    void stopDuringTheWaitEndsTheLoopWithoutAnotherRound() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch delivered = new CountDownLatch(1);
        WatchLoop loop = new WatchLoop(() -> {
            calls.incrementAndGet();
            return OK;
        }, Duration.ofHours(1), List.of(r -> delivered.countDown()), s -> { }, Clock.systemUTC());
        Thread runner = new Thread(loop::run);
        runner.start();
        assertTrue(delivered.await(30, TimeUnit.SECONDS));
        loop.stop();
        runner.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(runner.isAlive());
        assertEquals(1, calls.get());
    }
}
