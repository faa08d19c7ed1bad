package dev.ntpdeploy.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The install/read scripts run by the local shell, exactly as the host's shell would run them. */
class RemoteFilesTest {

    @TempDir
    Path dir;
    Path target;
    String user;
    String group;

    @BeforeEach
    void names() throws Exception {
        target = dir.resolve("etc dir/ntp.conf");
        Files.createDirectories(target.getParent());
        user = LocalShell.run("id -un").stdout().trim();
        group = LocalShell.run("id -gn").stdout().trim();
    }

    private ExecResult install(String content, boolean backup, int keep) throws Exception {
        return LocalShell.run(RemoteFiles.installScript(target.toString(), "0640", user, group, backup, keep),
                content.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private List<String> leftovers() throws Exception {
        try (Stream<Path> s = Files.list(target.getParent())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".ntpdeploy.")).toList();
        }
    }

    @Test
    void installsContentWithModeAndNoBackupWhenThereWasNoFile() throws Exception {
        ExecResult r = install("server 10.0.0.1 iburst\n", true, 5);
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("backup=\n", r.stdout());
        assertEquals("server 10.0.0.1 iburst\n", Files.readString(target));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void backsUpThePreviousFileAndKeepsOnlyTheNewest() throws Exception {
        Files.writeString(target, "old\n");
        for (String ts : List.of("20200101T000000", "20210101T000000", "20220101T000000")) {
            Files.writeString(Path.of(target + ".ntpdeploy-" + ts), ts);
        }
        ExecResult r = install("new\n", true, 2);
        assertEquals(0, r.exitCode(), r.stderr());
        String backup = r.stdout().trim().substring("backup=".length());
        assertTrue(backup.matches(".*/ntp\\.conf\\.ntpdeploy-\\d{8}T\\d{6}"), backup);
        assertEquals("old\n", Files.readString(Path.of(backup)));
        assertEquals("new\n", Files.readString(target));
        assertFalse(Files.exists(Path.of(target + ".ntpdeploy-20200101T000000")));
        assertFalse(Files.exists(Path.of(target + ".ntpdeploy-20210101T000000")));
        assertTrue(Files.exists(Path.of(target + ".ntpdeploy-20220101T000000")), "the newest older backup stays");
    }

    @Test
    void noBackupWhenNotAsked() throws Exception {
        Files.writeString(target, "old\n");
        ExecResult r = install("new\n", false, 5);
        assertEquals("backup=\n", r.stdout());
        try (Stream<Path> s = Files.list(target.getParent())) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void aFailedInstallLeavesTheTargetAndNoTempFile() throws Exception {
        Files.writeString(target, "old\n");
        ExecResult r = LocalShell.run(RemoteFiles.installScript(target.toString(), "0644", "no-such-user-ntpdeploy",
                group, true, 5), "new\n".getBytes(StandardCharsets.UTF_8), Map.of());
        assertNotEquals(0, r.exitCode());
        assertEquals("old\n", Files.readString(target));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void readsContentHashModeAndOwnerInOneGo() throws Exception {
        String content = "restrict default kod limited nomodify\nserver 'x' $(y)\n";
        Files.writeString(target, content);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        ExecResult r = LocalShell.run(RemoteFiles.readScript(target.toString()));
        RemoteFiles.RemoteFile f = RemoteFiles.parseRead(r.stdout());
        assertTrue(f.exists());
        assertEquals(content, f.content());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(content.getBytes(StandardCharsets.UTF_8))), f.sha256());
        assertEquals("644", f.mode());
        assertEquals(user, f.owner());
        assertEquals(group, f.group());
    }

    @Test
    void readsAnAbsentFileAsAbsent() throws Exception {
        ExecResult r = LocalShell.run(RemoteFiles.readScript(dir.resolve("missing").toString()));
        assertFalse(RemoteFiles.parseRead(r.stdout()).exists());
    }

    @Test
    void rejectsValuesThatCouldEscapeTheScript() {
        assertThrows(IllegalArgumentException.class, () -> RemoteFiles.installScript("/etc/x", "0644; reboot", "root", "root", true, 5));
        assertThrows(IllegalArgumentException.class, () -> RemoteFiles.installScript("/etc/x", "0644", "root$(id)", "root", true, 5));
        assertThrows(IllegalArgumentException.class, () -> RemoteFiles.installScript("etc/x", "0644", "root", "root", true, 5));
    }
}
