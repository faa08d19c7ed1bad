package dev.ntpdeploy.facts;

import java.util.Optional;

/**
 * One {@code chronyc -n -c tracking} line: the system's reference and how well it follows it.
 *
 * @param refid              the reference id in hex ({@code 7F7F0101}: the local clock, {@code 00000000}: none)
 * @param address            the reference's address, empty for the local clock or none
 * @param systemOffsetS      how far the system clock is from NTP time (positive: slow)
 * @param rootDelayS         the total network delay to the stratum-1 source
 * @param rootDispersionS    the total dispersion accumulated to the stratum-1 source
 * @param leap               the leap status as printed ("Normal", "Insert second", "Delete second", "Not synchronised")
 */
public record ChronycTracking(String refid, String address, int stratum, double refTimeEpochS,
                              double systemOffsetS, double lastOffsetS, double rmsOffsetS, double frequencyPpm,
                              double residualFreqPpm, double skewPpm, double rootDelayS, double rootDispersionS,
                              double updateIntervalS, String leap) {

    /** chrony's reference id while it serves its {@code local stratum} clock (127.127.1.1). */
    public static final String LOCAL_REFID = "7F7F0101";

    static Optional<ChronycTracking> parse(String line) {
        Optional<String[]> o = Chronyc.fields(line, 14);
        if (o.isEmpty()) {
            return Optional.empty();
        }
        String[] f = o.get();
        if (!f[0].matches("[0-9A-F]{8}") || f[1].contains(" ") || !f[2].matches("\\d{1,2}")
                || !Chronyc.decimals(f, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12) || !f[13].matches("[A-Za-z ]{1,30}")) {
            return Optional.empty();
        }
        double[] d = new double[13];
        for (int i = 3; i <= 12; i++) {
            d[i] = Double.parseDouble(f[i]);
        }
        return Optional.of(new ChronycTracking(f[0], f[1], Integer.parseInt(f[2]), d[3], d[4], d[5], d[6], d[7], d[8],
                d[9], d[10], d[11], d[12], f[13]));
    }

    /** chronyd's own word: synchronised unless its leap status says it is not. */
    public boolean synced() {
        return !leap.equals("Not synchronised");
    }

    /** Serving its own {@code local stratum} clock (no source selected). */
    public boolean localReference() {
        return LOCAL_REFID.equals(refid);
    }
}
