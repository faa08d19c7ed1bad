package dev.ntpdeploy.facts;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * A file as the probe saw it on the host: exact bytes (carried as base64), sha256, mode and ownership.
 * An absent file has exists=false and empty content.
 */
public record RemoteFile(String path, boolean exists, String mode, String owner, String group,
                         String sha256, byte[] content) {

    public RemoteFile {
        content = content == null ? new byte[0] : content.clone();
    }

    public static RemoteFile absent(String path) {
        return new RemoteFile(path, false, null, null, null, null, new byte[0]);
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    /** Mode as four octal digits ("0644"), or empty for an absent file. */
    public Optional<String> octalMode() {
        if (!exists || mode == null) {
            return Optional.empty();
        }
        String m = mode;
        while (m.length() < 4) {
            m = "0" + m;
        }
        return Optional.of(m);
    }

    public boolean sameContent(byte[] other) {
        return exists && Arrays.equals(content, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RemoteFile r && r.path.equals(path) && r.exists == exists
                && java.util.Objects.equals(r.mode, mode) && java.util.Objects.equals(r.owner, owner)
                && java.util.Objects.equals(r.group, group) && Arrays.equals(r.content, content);
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "RemoteFile[" + path + (exists ? " " + mode + " " + owner + ":" + group + " " + content.length + " bytes" : " absent") + "]";
    }
}
