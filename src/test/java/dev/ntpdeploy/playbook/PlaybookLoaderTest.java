package dev.ntpdeploy.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybookLoaderTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("play.yml"), yaml);
    }

    private Playbook load(String yaml) throws Exception {
        return PlaybookLoader.load(write(yaml));
    }

    /** The refusal's message, which must start with the file:line:column given. */
    private String refusal(String yaml, int line, int column) throws IOException {
        Path f = write(yaml);
        String m = assertThrows(PlaybookException.class, () -> PlaybookLoader.load(f)).getMessage();
        assertTrue(m.startsWith(f + ":" + line + ":" + column + ": "), m);
        assertFalse(m.contains("\n"), m);
        return m;
    }

    @Test
    void loadsTheShippedSitePlaybook() throws Exception {
        Playbook p = PlaybookLoader.load(Path.of("playbooks/site.yml"));
        assertEquals(2, p.plays().size());
        Play masters = p.plays().get(0);
        assertEquals("masters", masters.hosts());
        assertEquals(List.of(BatchSize.hosts(1)), masters.serial());
        assertTrue(masters.anyErrorsFatal());
        Play clients = p.plays().get(1);
        assertEquals("clients", clients.hosts());
        assertEquals(List.of(BatchSize.hosts(1), BatchSize.percent(10), BatchSize.percent(50), BatchSize.percent(100)),
                clients.serial());
        assertEquals(OptionalDouble.of(10), clients.maxFailPercentage());
        assertEquals(List.of("ntp_config", "verify"), clients.tasks().stream().map(Task::module).toList());
        Task.Verify gate = (Task.Verify) clients.tasks().get(1);
        assertTrue(gate.waitForSync());
        assertEquals(Duration.ofMinutes(5), gate.timeout());
    }

    @Test
    void readsEveryFormOfSerialAndDefaults() throws Exception {
        Playbook p = load("""
                - hosts: all
                  serial: '30%'
                  tasks:
                    - verify:
                - hosts: [masters, clients]
                  serial: ["2", 0]
                  max_fail_percentage: "12.5%"
                  tasks:
                    - ntp_config:
                    - verify: {wait: false, timeout: 90}
                """);
        Play first = p.plays().get(0);
        assertEquals(List.of(BatchSize.percent(30)), first.serial());
        assertEquals("all", first.title());
        assertEquals(OptionalDouble.empty(), first.maxFailPercentage());
        Task.Verify v = (Task.Verify) first.tasks().get(0);
        assertTrue(v.waitForSync());
        assertEquals(Task.Verify.DEFAULT_TIMEOUT, v.timeout());
        Play second = p.plays().get(1);
        assertEquals("masters,clients", second.hosts());
        assertEquals(List.of(BatchSize.hosts(2), BatchSize.hosts(0)), second.serial());
        assertEquals(OptionalDouble.of(12.5), second.maxFailPercentage());
        assertEquals(Duration.ofSeconds(90), ((Task.Verify) second.tasks().get(1)).timeout());
    }

    @Test
    void readsPauseInAnsiblesShapeWithoutItsPrompt() throws Exception {
        Playbook p = load("- hosts: clients\n  tasks:\n    - ntp_config: {}\n    - name: soak\n      pause: {minutes: 10}\n"
                + "    - pause: {seconds: 45}\n");
        Task.Pause soak = (Task.Pause) p.plays().get(0).tasks().get(1);
        assertEquals("soak", soak.name());
        assertEquals(Duration.ofMinutes(10), soak.duration());
        assertEquals(Duration.ofSeconds(45), ((Task.Pause) p.plays().get(0).tasks().get(2)).duration());
        assertTrue(refusal("- hosts: clients\n  tasks:\n    - pause: {prompt: 'go on'}\n", 3, 15)
                .contains("'prompt' is not supported"));
        refusal("- hosts: clients\n  tasks:\n    - pause: {seconds: 0}\n", 3, 24);
        refusal("- hosts: clients\n  tasks:\n    - pause: {seconds: 5, minutes: 1}\n", 3, 27);
        refusal("- hosts: clients\n  tasks:\n    - pause: 30\n", 3, 14);
    }

    @Test
    void refusesAnUnknownModuleWithItsPlaceAndTheModulesThereAre() throws IOException {
        String m = refusal("""
                - hosts: clients
                  tasks:
                    - ntp_confg: {}
                """, 3, 7);
        assertTrue(m.contains("unknown module 'ntp_confg'") && m.contains("did you mean 'ntp_config'?"), m);
        String shell = refusal("""
                - hosts: clients
                  tasks:
                    - name: no
                      shell: rm -rf /
                """, 4, 7);
        assertTrue(shell.contains("only its own modules"), shell);
    }

    @Test
    void refusesBadSerialAtTheValue() throws IOException {
        assertTrue(refusal("- hosts: clients\n  serial: ten\n  tasks: [verify: {}]\n", 2, 11)
                .contains("invalid 'serial' 'ten'"));
        assertTrue(refusal("- hosts: clients\n  serial: [1, -2]\n  tasks: [verify: {}]\n", 2, 15)
                .contains("negative"));
        refusal("- hosts: clients\n  serial: 2.5\n  tasks: [verify: {}]\n", 2, 11);
        refusal("- hosts: clients\n  serial: '12.5%'\n  tasks: [verify: {}]\n", 2, 11);
        refusal("- hosts: clients\n  serial: []\n  tasks: [verify: {}]\n", 2, 11);
        refusal("- hosts: clients\n  serial: {a: 1}\n  tasks: [verify: {}]\n", 2, 11);
    }

    @Test
    void refusesUnknownAndUnsupportedPlayKeys() throws IOException {
        assertTrue(refusal("- hosts: clients\n  seral: 1\n  tasks: [verify: {}]\n", 2, 3)
                .contains("did you mean 'serial'?"));
        assertTrue(refusal("- hosts: clients\n  roles: [ntp]\n  tasks: [verify: {}]\n", 2, 3)
                .contains("'roles' is not supported"));
        assertTrue(refusal("- hosts: clients\n  tasks:\n    - verify: {wait: true, timout: 5m}\n", 3, 28)
                .contains("did you mean 'timeout'?"));
    }

    @Test
    void refusesBadValues() throws IOException {
        assertTrue(refusal("- hosts: clients\n  max_fail_percentage: 101\n  tasks: [verify: {}]\n", 2, 24)
                .contains("from 0 to 100"));
        refusal("- hosts: clients\n  any_errors_fatal: yes please\n  tasks: [verify: {}]\n", 2, 21);
        refusal("- hosts: clients\n  tasks:\n    - verify: {timeout: soon}\n", 3, 25);
        refusal("- hosts: clients\n  tasks:\n    - ntp_config: {backup: false}\n", 3, 20);
        assertTrue(refusal("- hosts: clients\n  tasks:\n    - ntp_config: {}\n      verify: {}\n", 4, 7)
                .contains("exactly one module"));
        refusal("- hosts: clients\n  tasks:\n    - name: nothing\n", 3, 7);
        refusal("- hosts: 3\n  tasks: [verify: {}]\n", 1, 10);
    }

    @Test
    void refusesMissingPartsAndWrongShapes() throws IOException {
        assertTrue(refusal("- name: x\n  tasks: [verify: {}]\n", 1, 3).contains("has no 'hosts:'"));
        assertTrue(refusal("- hosts: clients\n", 1, 3).contains("has no 'tasks:'"));
        refusal("- hosts: clients\n  tasks: []\n", 2, 10);
        assertTrue(refusal("hosts: clients\n", 1, 1).contains("a list of plays"));
        refusal("", 1, 1);
        refusal("[]", 1, 1);
        refusal("- just text\n", 1, 3);
    }

    @Test
    void refusesWhatTheYamlReaderRefuses() throws IOException {
        assertTrue(refusal("- hosts: clients\n  hosts: masters\n  tasks: [verify: {}]\n", 2, 3).contains("duplicate key"));
        refusal("- &p\n  hosts: clients\n  tasks: [verify: {}]\n", 1, 3);
        refusal("- hosts: clients\n  tasks: [verify: {}\n", 3, 1);
    }

    @Test
    void aMissingFileIsARefusal() {
        Path f = dir.resolve("nope.yml");
        assertTrue(assertThrows(PlaybookException.class, () -> PlaybookLoader.load(f)).getMessage()
                .contains("no such file"));
    }
}
