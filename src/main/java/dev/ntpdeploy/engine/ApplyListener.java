package dev.ntpdeploy.engine;

/** Progress of a run, for the operator (stderr) and the per-host lines (stdout). */
public interface ApplyListener {

    /** A phase starts ("probing 20 hosts", "applying 1 master"). */
    default void phase(String what) {
    }

    /** A host is planned (called before execution, dry run or not). */
    default void planned(HostPlan plan) {
    }

    /** A host's final result is known. */
    default void finished(HostResult result) {
    }
}
