package dev.ntpdeploy.playbook;

import java.nio.file.Path;
import java.util.List;

/** A loaded, validated playbook: its plays in the order written (docs/playbooks.md). */
public record Playbook(Path file, List<Play> plays) {

    public Playbook {
        plays = List.copyOf(plays);
    }
}
