package dev.ntpdeploy.facts;

/** How a host starts and stops services; remote/restart-check.sh restarts by its word. */
public enum ServiceManager {
    /** systemd is PID 1 (/run/systemd/system exists): {@code systemctl restart SVC}. */
    SYSTEMD("systemd"),
    /** SysV {@code service SVC restart} (also the lab's shim). */
    SERVICE("service"),
    /** Only an init script: {@code /etc/init.d/SVC restart}. */
    INITD("init.d"),
    /** Nothing found that could restart ntpd. */
    NONE("none"),
    /** Not probed: verification of a host whose flavor the inventory declares (it restarts nothing). */
    UNKNOWN("unknown");

    private final String word;

    ServiceManager(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    public static ServiceManager fromWord(String s) {
        for (ServiceManager m : values()) {
            if (m.word.equals(s)) {
                return m;
            }
        }
        return NONE;
    }
}
