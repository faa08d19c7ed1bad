package dev.ntpdeploy.ops;

import dev.ntpdeploy.facts.RemoteFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ensures a file has exactly this content, mode and owner (installed atomically). Plans itself: {@link #plan}
 * compares the desired file with the one the probe found and is needed only when they differ.
 *
 * @param changes why it is needed, in the order they are reported
 */
public record PutFile(String path, byte[] content, String mode, String owner, String group,
                      List<Change> changes) implements Step {

    /** The mode and owner every config ntpdeploy writes has. */
    public static final String MODE = "0644";
    public static final String OWNER = "root";
    public static final String GROUP = "root";

    /** What differs between the file on the host and the desired one. */
    public enum Reason {
        /** No file at the path. */
        MISSING,
        /** Other bytes. */
        CONTENT,
        /** Another mode. */
        MODE,
        /** Another owner or group. */
        OWNER
    }

    /**
     * One difference: what differs and, for mode and owner, the value found and the one wanted.
     */
    public record Change(Reason reason, String from, String to) {

        public static Change of(Reason reason) {
            return new Change(reason, "", "");
        }

        /** As operators read it: "file missing", "content differs", "mode 0600 -> 0644", "owner a:b -> root:root". */
        public String describe() {
            return switch (reason) {
                case MISSING -> "file missing";
                case CONTENT -> "content differs";
                case MODE -> "mode " + from + " -> " + to;
                case OWNER -> "owner " + from + " -> " + to;
            };
        }
    }

    public PutFile {
        content = content.clone();
        changes = List.copyOf(changes);
    }

    /**
     * The upload needed to make {@code current} the desired file ({@link #MODE}, {@link #OWNER}:{@link #GROUP}, the
     * {@code desired} bytes); empty when it already is.
     */
    public static Optional<PutFile> plan(String path, byte[] desired, RemoteFile current) {
        List<Change> changes = new ArrayList<>();
        if (!current.exists()) {
            changes.add(Change.of(Reason.MISSING));
        } else {
            if (!current.sameContent(desired)) {
                changes.add(Change.of(Reason.CONTENT));
            }
            String mode = current.octalMode().orElse("");
            if (!mode.equals(MODE)) {
                changes.add(new Change(Reason.MODE, mode, MODE));
            }
            String owner = current.owner() + ":" + current.group();
            if (!owner.equals(OWNER + ":" + GROUP)) {
                changes.add(new Change(Reason.OWNER, owner, OWNER + ":" + GROUP));
            }
        }
        return changes.isEmpty() ? Optional.empty() : Optional.of(new PutFile(path, desired, MODE, OWNER, GROUP, changes));
    }

    /**
     * What the plan shows for this file: the mode and owner changes, then the unified diff of the content from
     * {@code current}, the file this upload was planned from.
     */
    public String diff(String host, RemoteFile current) {
        StringBuilder diff = new StringBuilder();
        for (Change c : changes) {
            if (c.reason() == Reason.MODE || c.reason() == Reason.OWNER) {
                String what = c.reason() == Reason.MODE ? "mode" : "owner";
                diff.append("old ").append(what).append(' ').append(c.from()).append('\n')
                        .append("new ").append(what).append(' ').append(c.to()).append('\n');
            }
        }
        return diff.append(UnifiedDiff.of(host, path, current.exists() ? current.text() : null,
                new String(content, StandardCharsets.UTF_8))).toString();
    }

    /** The content changes (not only mode or owner): what the daemon reads is different. */
    public boolean changesContent() {
        return changes.stream().anyMatch(c -> c.reason() == Reason.MISSING || c.reason() == Reason.CONTENT);
    }

    /** The changes as operators read them, in order. */
    public List<String> reasons() {
        return changes.stream().map(Change::describe).toList();
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
