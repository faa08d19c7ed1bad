package dev.ntpdeploy.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read script run by the local shell, exactly as the host's shell would run it. */
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

}
