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
     * the ones in our own network namespace (always all of them on a real host).
     */
    static final String MY_NTPD_FUNCTION = """
            my_ntpd() {
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
