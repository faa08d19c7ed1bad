package dev.ntpdeploy.verify;

/**
 * When a finding that is CRITICAL by default is only a WARNING. A catalogue entry lists the downgrades it allows
 * ({@link FindingCode#downgrades()}); a rule applying one the entry does not list is a bug, not a quieter finding.
 */
enum Downgrade {
    /** A master inside its start window: what stops it serving may still resolve itself. */
    MASTER_STARTING("while the master is STARTING"),
    /** ntpq gets no answer, yet clients are synced to this master: it serves, only queries are refused. */
    SERVES_SYNCED_CLIENTS("on a master whose clients sync to it");

    private final String when;

    Downgrade(String when) {
        this.when = when;
    }

    /** When it applies, in the words of the findings table ("W while the master is STARTING"). */
    String when() {
        return when;
    }

    /** The finding as a WARNING, for this reason. */
    Finding apply(Finding f) {
        FindingCode code = FindingCode.valueOf(f.code());
        if (!code.downgrades().contains(this)) {
            throw new IllegalStateException(f.code() + " does not allow the downgrade " + name());
        }
        return new Finding(f.code(), Severity.WARNING, f.message(), f.fix(), f.evidence());
    }
}
