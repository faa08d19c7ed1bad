package dev.ntpdeploy.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * ntpdeploy reads inventories as Ansible does: real {@code ansible-inventory --list} (Debian's ansible-core, which .ci/run
 * installs) and ntpdeploy's {@code inventory --list} over the corpus in src/test/resources/ansible-corpus
 * (one directory per case: the inventory file, its group_vars/ and host_vars/, and a SOURCE file saying
 * where its shape comes from) must give the same groups, hosts and variables. The JSON is compared as
 * parsed trees (ansible-core 2.14 writes some numbers differently, e.g. 6.02e+23), never as text. No lab.
 * A missing ansible-inventory fails the test: a differential test that skips proves nothing.
 */
class AnsibleInventoryDifferentialIT {

    private static final Path CORPUS = Path.of("src/test/resources/ansible-corpus");
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    @TempDir
    Path home;

    @TestFactory
    Stream<DynamicTest> ntpdeployListsWhatAnsibleInventoryLists() throws IOException {
        List<Path> cases;
        try (Stream<Path> s = Files.list(CORPUS)) {
            cases = s.filter(Files::isDirectory).sorted().toList();
        }
        assertTrue(cases.size() >= 5, "the corpus has its cases: " + cases);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> compare(c)));
    }

    private void compare(Path dir) throws Exception {
        Path inventory = inventoryFile(dir);
        JsonNode ansible = JSON.readTree(ansibleInventory(dir, inventory));
        JsonNode ours = JSON.readTree(InventoryListing.list(InventoryLoader.resolve(dir.resolve(inventory))));
        assertTrue(ansible.path("_meta").path("hostvars").size() > 0, dir + ": ansible-inventory listed no host variables");
        List<String> diffs = new ArrayList<>();
        diff("", ansible, ours, diffs);
        if (!diffs.isEmpty()) {
            fail(dir + ": ntpdeploy inventory --list differs from ansible-inventory --list at " + diffs.size()
                    + " place(s):\n  " + String.join("\n  ", diffs.subList(0, Math.min(30, diffs.size()))));
        }
        assertEquals(ansible, ours); // the same, said once more on the whole tree
    }

    /** The one file in the case directory besides SOURCE. */
    private static Path inventoryFile(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(Files::isRegularFile).map(Path::getFileName)
                    .filter(n -> !n.toString().equals("SOURCE")).toList();
            assertEquals(1, files.size(), dir + " holds one inventory file besides SOURCE: " + files);
            assertTrue(Files.exists(dir.resolve("SOURCE")), dir + ": every case says where its shape comes from");
            return files.get(0);
        }
    }

    private String ansibleInventory(Path dir, Path inventory) throws Exception {
        String exe = findOnPath("ansible-inventory");
        if (exe == null) {
            fail("ansible-inventory is not installed: install Debian's ansible-core"
                    + " (apt-get install --no-install-recommends ansible-core; .ci/run does)");
        }
        ProcessBuilder pb = new ProcessBuilder(exe, "-i", inventory.toString(), "--list")
                .directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.PIPE);
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString()); // no ~/.ansible.cfg of the machine, a writable ~/.ansible
        env.put("ANSIBLE_CONFIG", home.resolve("none.cfg").toString());
        env.put("ANSIBLE_INVENTORY_UNPARSED_FAILED", "true"); // a file Ansible cannot parse fails, not warns
        env.put("ANSIBLE_INVENTORY_ENABLED", "yaml,ini");
        env.put("ANSIBLE_NOCOLOR", "1");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("ansible-inventory did not finish in 300 s on " + dir);
        }
        assertEquals(0, p.exitValue(), "ansible-inventory failed on " + dir + ": " + new String(err, StandardCharsets.UTF_8));
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String findOnPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static void diff(String at, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected.isObject() && actual.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(keys::add);
            actual.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                String path = at + "/" + k;
                if (!expected.has(k)) {
                    out.add(path + ": only ntpdeploy has it: " + actual.get(k));
                } else if (!actual.has(k)) {
                    out.add(path + ": only Ansible has it: " + expected.get(k));
                } else {
                    diff(path, expected.get(k), actual.get(k), out);
                }
            }
        } else if (!expected.equals(actual)) {
            out.add(at + ": Ansible " + expected + ", ntpdeploy " + actual);
        }
    }
}
