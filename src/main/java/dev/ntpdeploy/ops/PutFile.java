package dev.ntpdeploy.ops;

import java.util.List;

/**
 * Ensures a file has exactly this content, mode and owner (installed atomically).
 *
 * @param reasons why it is needed ("content differs", "mode 0600 -> 0644", "file missing")
 */
public record PutFile(String path, byte[] content, String mode, String owner, String group,
                      List<String> reasons) implements Step {

    public PutFile {
        content = content.clone();
        reasons = List.copyOf(reasons);
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public String describe() {
        return "uploaded " + path;
    }
}
