package dev.ntpdeploy.inventory;

/** Which ntpd family a host runs; decides config path, drift file, service name and dialect. */
public enum Flavor {
    /** Classic ntpd 4.2.x: the seed's layout. */
    NTP("ntp", "/etc/ntp.conf", "/var/lib/ntp/drift", "ntp"),
    /** NTPsec 1.x (Debian 12+, Ubuntu 24.04). */
    NTPSEC("ntpsec", "/etc/ntpsec/ntp.conf", "/var/lib/ntpsec/ntp.drift", "ntpsec"),
    /** Detected on the host at apply time (never rendered as such). */
    AUTO("auto", null, null, null);

    private final String word;
    private final String confPath;
    private final String driftFile;
    private final String service;

    Flavor(String word, String confPath, String driftFile, String service) {
        this.word = word;
        this.confPath = confPath;
        this.driftFile = driftFile;
        this.service = service;
    }

    public String word() {
        return word;
    }

    public String confPath() {
        return confPath;
    }

    public String driftFile() {
        return driftFile;
    }

    public String service() {
        return service;
    }

    public static Flavor fromWord(String s) {
        for (Flavor f : values()) {
            if (f.word.equals(s)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown flavor '" + s + "' (expected: ntp, ntpsec, auto)");
    }
}
