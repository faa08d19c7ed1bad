package dev.ntpdeploy.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventuallyTest {

    @Test
    void returnsTheValueOnceTheProbeYieldsItAndTreatsAThrowingProbeAsNotYet() {
        AtomicInteger calls = new AtomicInteger();
        String v = Eventually.await("the third look", Duration.ofMinutes(1)).value(() -> switch (calls.incrementAndGet()) {
            case 1 -> throw new IOException("half-written file");
            case 2 -> Optional.empty();
            default -> Optional.of("there");
        });
        assertEquals("there", v);
        assertEquals(3, calls.get());
    }

    @Test
    void failsAtTheDeadlineWithWhatItWaitedForTheEvidenceAndTheLastException() {
        IOException cause = new IOException("no such file: hook.jsonl");
        AssertionError e = assertThrows(AssertionError.class, () -> Eventually.await("the lost_sync hook", Duration.ofMillis(120))
                .evidence(() -> "watch stderr:\nwatch: lab-h3 (client) lost sync")
                .until(() -> {
                    throw cause;
                }));
        assertTrue(e.getMessage().startsWith("timed out after 0 s waiting for the lost_sync hook ("), e.getMessage());
        assertTrue(e.getMessage().contains("the last check threw: java.io.IOException: no such file: hook.jsonl"), e.getMessage());
        assertTrue(e.getMessage().endsWith("\nwatch stderr:\nwatch: lab-h3 (client) lost sync"), e.getMessage());
        assertEquals(cause, e.getCause());
    }

    @Test
    void givesUpAtOnceWhenTheOtherProcessIsGoneButTakesWhatItWroteBeforeIt() {
        AssertionError e = assertThrows(AssertionError.class, () -> Eventually.await("the port line", Duration.ofMinutes(10))
                .unless(() -> "watch exited 2")
                .until(() -> false));
        assertTrue(e.getMessage().startsWith("gave up waiting for the port line: watch exited 2 (2 checks in "), e.getMessage());

        AtomicInteger calls = new AtomicInteger();
        int v = Eventually.await("the port line", Duration.ofMinutes(10)).unless(() -> "watch exited 0")
                .value(() -> calls.incrementAndGet() == 2 ? Optional.of(8080) : Optional.empty());
        assertEquals(8080, v, "written just before it exited: the last look finds it");
    }
}
