package dev.ntpdeploy.verify;

import java.util.Locale;

/**
 * How far a host's clock may be from true time by its daemon's own account: |system offset| + root dispersion +
 * root delay / 2 (chronyc's bound on the clock error, chronyc.adoc {@code tracking}; for ntpd the same parts from
 * {@code ntpq -c rv}, its root distance plus its offset). The one place the formula is written; each daemon's adapter
 * ({@link ChronyReading}, {@link NtpqReading}) supplies the parts, {@link OffsetRules} judges the sum.
 *
 * @param offsetMs         the system clock's offset the daemon last measured (its sign does not matter)
 * @param rootDelayMs      the round-trip delay to the stratum-1 (or local) reference, summed along the chain
 * @param rootDispersionMs the dispersion summed along the chain
 */
record ErrorBound(double offsetMs, double rootDelayMs, double rootDispersionMs) {

    double ms() {
        return Math.abs(offsetMs) + rootDispersionMs + rootDelayMs / 2;
    }

    /** The bound as a message shows it: ms to the microsecond ("0.059"), never a binary fraction's tail. */
    String shown() {
        return Phrase.number(rounded(ms(), 3));
    }

    /** The parts as evidence, to the nanosecond: "system offset 0.008392 ms, root dispersion 0.033465 ms, ...". */
    String evidence() {
        return String.format(Locale.ROOT, "system offset %s ms, root dispersion %s ms, root delay %s ms",
                Phrase.number(rounded(offsetMs, 6)), Phrase.number(rounded(rootDispersionMs, 6)),
                Phrase.number(rounded(rootDelayMs, 6)));
    }

    private static double rounded(double v, int decimals) {
        return Double.isFinite(v) ? java.math.BigDecimal.valueOf(v).setScale(decimals, java.math.RoundingMode.HALF_UP)
                .doubleValue() : v;
    }
}
