package dev.ntpdeploy.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The sharing of bastion connections, with stand-ins for them (JumpHostIT counts the real logins). */
class JumpHostsTest {

    private static final JumpHosts.Hop BASTION = new JumpHosts.Hop("10.0.0.1", 22, "root", Optional.empty(), false);

    private static final class FakeLink implements JumpHosts.Link {
        volatile boolean usable = true;
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public boolean isUsable() {
            return usable;
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    private final List<FakeLink> opened = new ArrayList<>();

    private synchronized FakeLink open(JumpHosts.Hop hop) {
        FakeLink l = new FakeLink();
        opened.add(l);
        return l;
    }

    @Test
    void hostsShareOneConnectionClosedWhenTheLastOneReleasesIt() throws Exception {
        JumpHosts<FakeLink> jumps = new JumpHosts<>();
        var a = jumps.acquire(BASTION, this::open);
        var b = jumps.acquire(BASTION, this::open);

        assertSame(a.connection(), b.connection());
        assertEquals(1, opened.size());
        a.release();
        a.release(); // twice is once
        assertEquals(0, opened.get(0).closed.get(), "still used by b");
        b.release();
        assertEquals(1, opened.get(0).closed.get());
        jumps.acquire(BASTION, this::open);
        assertEquals(2, opened.size(), "a released connection is not reused");
    }

    @Test
    void anotherUserOrKeyIsAnotherConnection() throws Exception {
        JumpHosts<FakeLink> jumps = new JumpHosts<>();
        var a = jumps.acquire(BASTION, this::open);
        var b = jumps.acquire(new JumpHosts.Hop("10.0.0.1", 22, "admin", Optional.empty(), false), this::open);
        assertNotSame(a.connection(), b.connection());
    }

    @Test
    void everyHostBehindABastionThatRefusesGetsTheErrorAndTheNextHostTriesAgain() throws Exception {
        JumpHosts<FakeLink> jumps = new JumpHosts<>();
        CountDownLatch opening = new CountDownLatch(1);
        CountDownLatch fail = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        JumpHosts.Opener<FakeLink> refused = hop -> {
            attempts.incrementAndGet();
            opening.countDown();
            try {
                fail.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new TransportException("jump host root@10.0.0.1: host key of 10.0.0.1 is unknown");
        };
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> first = pool.submit(() -> jumps.acquire(BASTION, refused));
            assertTrue(opening.await(30, TimeUnit.SECONDS));
            List<Future<?>> waiting = List.of(pool.submit(() -> jumps.acquire(BASTION, refused)),
                    pool.submit(() -> jumps.acquire(BASTION, refused)));
            fail.countDown();
            for (Future<?> f : List.of(first, waiting.get(0), waiting.get(1))) {
                var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof TransportException && e.getCause().getMessage().contains("host key"), e.toString());
            }
        } finally {
            pool.shutdownNow();
        }
        // the waiters may have joined the first attempt or (if they came after it failed) made their own
        assertTrue(attempts.get() >= 1 && attempts.get() <= 3, attempts.toString());
        int before = attempts.get();
        assertThrows(TransportException.class, () -> jumps.acquire(BASTION, refused));
        assertEquals(before + 1, attempts.get(), "a failure is not remembered: the next host tries again");
    }

    @Test
    void aLostConnectionIsReplacedForLaterHostsAndClosedWhenItsLastUserLeaves() throws Exception {
        JumpHosts<FakeLink> jumps = new JumpHosts<>();
        var a = jumps.acquire(BASTION, this::open);
        a.connection().usable = false;

        var b = jumps.acquire(BASTION, this::open);

        assertEquals(2, opened.size());
        assertNotSame(a.connection(), b.connection());
        a.release();
        assertEquals(1, opened.get(0).closed.get(), "the lost one closes with its last user");
        assertEquals(0, opened.get(1).closed.get(), "the new one stays for b");
        b.release();
        assertEquals(1, opened.get(1).closed.get());
    }
}
