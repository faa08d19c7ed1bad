package dev.ntpdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one fan-out: bounded, each host's exception its own result, cancellation before a host starts. */
class FanOutTest {

    static final List<Host> HOSTS = List.of(TestHosts.host("h1", Role.MASTER, null), TestHosts.host("h2", Role.CLIENT, null),
            TestHosts.host("h3", Role.CLIENT, null), TestHosts.host("h4", Role.CLIENT, null));

    @Test
    void oneHostsExceptionIsThatHostsResultAndTheOthersRunOn() {
        Map<String, String> out = FanOut.each("t", 2, HOSTS, () -> false, h -> {
            if (h.name().equals("h2")) {
                throw new IllegalStateException("odd output");
            }
            if (h.name().equals("h3")) {
                throw new StackOverflowError();
            }
            return "ok";
        }, (h, e) -> "failed: " + e.getClass().getSimpleName(), h -> "not started");
        assertEquals(List.of("h1", "h2", "h3", "h4"), List.copyOf(out.keySet()), "inventory order");
        assertEquals(List.of("ok", "failed: IllegalStateException", "failed: StackOverflowError", "ok"),
                List.copyOf(out.values()));
    }

    @Test
    void neverMoreThanForksHostsAtATime() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        // each host waits until two are running (or a generous deadline): with forks 2 both slots fill, never a third
        CountDownLatch two = new CountDownLatch(2);
        FanOut.each("t", 2, HOSTS, () -> false, h -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            two.countDown();
            two.await(30, TimeUnit.SECONDS);
            running.decrementAndGet();
            return h.name();
        }, (h, e) -> "failed", h -> "not started");
        assertEquals(2, most.get());
    }

    @Test
    void afterCancellationNoHostStarts() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Map<String, String> out = FanOut.each("t", 1, HOSTS, cancelled::get, h -> {
            cancelled.set(true); // Ctrl-C while the first host works: it finishes, the rest never start
            return "done";
        }, (h, e) -> "failed", h -> "skipped");
        assertEquals(List.of("done", "skipped", "skipped", "skipped"), List.copyOf(out.values()));
    }

    @Test
    void closeWaitsForWorkInFlight() throws Exception {
        AtomicBoolean finished = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FanOut f = new FanOut("t", 1, 1, () -> false, Duration.ofMinutes(1));
        f.submit(HOSTS.get(0), () -> {
            started.countDown();
            release.await(30, TimeUnit.SECONDS); // a handshake in flight, let go as close begins
            for (int i = 0; i < 1_000_000; i++) {
                Thread.onSpinWait();
            }
            finished.set(true);
            return null;
        }, e -> null, () -> null);
        assertTrue(started.await(30, TimeUnit.SECONDS));
        release.countDown();
        f.close();
        assertTrue(finished.get(), "close returned before the work in flight finished");
    }
}
