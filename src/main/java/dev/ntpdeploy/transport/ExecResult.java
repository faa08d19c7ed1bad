package dev.ntpdeploy.transport;

/** What a remote command left: its exit code (124 when the remote `timeout` killed it), stdout and stderr. */
public record ExecResult(int exitCode, String stdout, String stderr) {

    public boolean ok() {
        return exitCode == 0;
    }
}
