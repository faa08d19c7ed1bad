package dev.ntpdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.playbook.Play;
import dev.ntpdeploy.playbook.PlaybookException;
import dev.ntpdeploy.playbook.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PlayJob's own logic where no host is needed (the example inventory's hosts do not exist; a connector that fails
 * the test if used): what is refused before any connection, the batches announced, pause and Ctrl-C. What tasks do
 * to hosts is PlayIT's, on the lab.
 */
class PlayJobTest {

    @TempDir
    Path dir;

    private static final Connector NEVER = () -> {
        throw new AssertionError("no host may be contacted");
    };

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<String> events = new ArrayList<>();
    /** Ctrl-C comes during the first pause. */
    private boolean interruptPause;

    private final PlayListener listener = new PlayListener() {
        @Override
        public void play(Play play, List<List<Host>> batches) {
            events.add("play " + play.title() + " " + batches.stream().map(b -> b.stream().map(Host::name).toList()).toList());
        }

        @Override
        public void pause(Task.Pause task, boolean skipped) {
            events.add("pause " + task.duration() + (skipped ? " skipped" : ""));
            cancelled.set(interruptPause);
        }
    };

    private PlayOutcome run(String playbook, String limit, boolean check) throws Exception {
        Path book = Files.writeString(dir.resolve("book.yml"), playbook);
        return new PlayJob(NEVER, listener, cancelled, s -> { }).run(new PlayRequest(book,
                Path.of("inventories/example.yml"), Path.of("templates"), limit, 5, check, 0, Duration.ofSeconds(5)));
    }

    @Test
    void ctrlCDuringAPauseStopsTheRunBeforeTheNextBatch() throws Exception {
        interruptPause = true;
        PlayOutcome o = run("- name: soak\n  hosts: clients\n  serial: 1\n  tasks:\n    - pause: {minutes: 30}\n"
                + "    - verify: {}\n", "all", false);
        assertEquals("pause PT30M", events.get(1));
        assertEquals(Optional.of("interrupted during batch 1/2 of play 'soak'"), o.stopped());
        assertTrue(o.interrupted());
        // the first batch's host never reached its gate, the second batch never started: both are to retry
        assertEquals(List.of("host8463", "host8462"), o.notReached());
        assertEquals(List.of("host8462", "host8463"), o.retry());
        assertEquals(dev.ntpdeploy.Exit.HOSTS_FAILED, dev.ntpdeploy.Exit.of(o));
    }

    @Test
    void checkModeSkipsPausesAndPlaysEveryBatch() throws Exception {
        PlayOutcome o = run("- hosts: clients\n  serial: 1\n  tasks:\n    - pause: {seconds: 5}\n", "all", true);
        assertEquals(List.of("play clients [[host8462], [host8463]]", "pause PT5S skipped", "pause PT5S skipped"), events);
        assertEquals(Optional.empty(), o.stopped());
    }

    @Test
    void limitKeepsEachPlaysHostsAndAPlayWithNoneIsEmpty() throws Exception {
        run("- hosts: masters\n  tasks: [pause: {seconds: 1}]\n- hosts: clients\n  serial: '50%'\n  tasks: [pause: {seconds: 1}]\n",
                "host8463", true);
        assertEquals("play masters []", events.get(0));
        assertEquals("play clients [[host8463]]", events.get(1));
    }

    @Test
    void aPlaysUnknownHostPatternIsRefusedAtItsLineBeforeAnyConnection() throws IOException {
        Path book = Files.writeString(dir.resolve("book.yml"), "- hosts: clients\n  tasks: [pause: {seconds: 1}]\n"
                + "- hosts: 'clients:&nosuch'\n  tasks: [pause: {seconds: 1}]\n- hosts: nosuch\n  tasks: [pause: {seconds: 1}]\n");
        PlaybookException e = assertThrows(PlaybookException.class, () -> new PlayJob(NEVER, listener, cancelled, s -> { })
                .run(new PlayRequest(book, Path.of("inventories/example.yml"), Path.of("templates"), "all", 5, false, 0,
                        Duration.ofSeconds(5))));
        assertTrue(e.getMessage().startsWith(book + ":5:10: hosts: 'nosuch' matches no host or group"), e.getMessage());
        assertEquals(List.of(), events, "refused before the first play started");
    }
}
