package dev.ntpdeploy.facts;

/** Shell text shared by the remote commands of facts and ops (quoting itself is transport's RemoteCommand.quote). */
public final class Shell {

    /** PATH additions so sbin tools are found for non-root logins, keeping the login's own PATH first. */
    public static final String PATH_PREFIX =
            "PATH=\"$PATH:/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin\"; export PATH; LC_ALL=C; export LC_ALL\n";

    private Shell() {
    }

    /**
     * Shell function printing the PID of this host's ntpd. The lab shares one PID namespace across
     * hosts (network namespaces only), so "pgrep ntpd" alone would see every host's daemon: keep
     * the ones in our own network namespace (always all of them on a real host). One pgrep filters
     * by namespace itself (procps-ng >= 3.3.?, exit 2 = option unknown): the readlink loop it replaces
     * ran two programs per ntpd on the machine, 0.8 CPU-s per call on a 30-ntpd lab (docs/benchmarks.md).
     */
    static final String MY_NTPD_FUNCTION = """
            my_ntpd() {
              ps_out=$(pgrep -x --ns $$ --nslist net ntpd 2>/dev/null); ps_rc=$?
              if [ "$ps_rc" -ne 2 ]; then
                set -- $ps_out; [ -n "${1:-}" ] && echo "$1"
                return 0
              fi
              me=$(readlink /proc/self/ns/net)
              for p in $(pgrep -x ntpd 2>/dev/null); do
                [ "$(readlink /proc/$p/ns/net 2>/dev/null)" = "$me" ] && { echo "$p"; return 0; }
              done
              return 0
            }
            """;

    public static String myNtpdFunction() {
        return MY_NTPD_FUNCTION;
    }
}
