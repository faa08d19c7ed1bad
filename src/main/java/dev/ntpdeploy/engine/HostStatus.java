package dev.ntpdeploy.engine;

/** A host's outcome in the words operators know from Ansible; unreachable is not failed. */
public enum HostStatus {
    OK("ok"),
    CHANGED("changed"),
    FAILED("failed"),
    UNREACHABLE("unreachable"),
    /** Not started because the run was interrupted (Ctrl-C). */
    SKIPPED("skipped");

    private final String word;

    HostStatus(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    public boolean bad() {
        return this == FAILED || this == UNREACHABLE;
    }
}
