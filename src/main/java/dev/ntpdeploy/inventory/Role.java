package dev.ntpdeploy.inventory;

/** What a host does in the time topology: serves time to the fleet, or syncs from the masters. */
public enum Role {
    MASTER("master"),
    CLIENT("client");

    private final String word;

    Role(String word) {
        this.word = word;
    }

    /** The lower-case word used in output and JSON ("master", "client"). */
    public String word() {
        return word;
    }
}
