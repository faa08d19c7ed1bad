package dev.ntpdeploy.facts;

import java.util.Optional;

/**
 * One {@code chronyc -n -c sources} line.
 *
 * @param mode      {@code ^} server, {@code =} peer, {@code #} reference clock
 * @param state     {@code *} selected, {@code +} combined, {@code -} not combined, {@code x} falseticker,
 *                  {@code ~} too variable, {@code ?} unusable (unreachable, or not enough samples yet)
 * @param address   as printed with -n: the full address (no 15-character cut), or a name chrony could not resolve
 * @param pollLog2  the poll interval as a power of two (may be negative for reference clocks)
 * @param reach     the 8-bit reach register (printed in octal)
 * @param lastRxS   seconds since the last sample, null when none was ever received (4294967295)
 * @param offsetS   the last sample's offset, adjusted for the clock's corrections since (positive: source ahead)
 * @param errorS    the last sample's error margin
 */
public record ChronycSource(char mode, char state, String address, int stratum, int pollLog2, int reach,
                            Long lastRxS, double offsetS, double measuredOffsetS, double errorS) {

    /** What chronyc prints for "never" in the LastRx column. */
    static final String NEVER = "4294967295";

    static Optional<ChronycSource> parse(String line) {
        Optional<String[]> o = Chronyc.fields(line, 10);
        if (o.isEmpty()) {
            return Optional.empty();
        }
        String[] f = o.get();
        if (!f[0].matches("[\\^=#]") || !f[1].matches("[*+\\-x~?]") || f[2].isEmpty() || f[2].contains(" ")
                || !f[3].matches("\\d{1,2}") || !f[4].matches("-?\\d{1,2}") || !f[5].matches("[0-7]{1,3}")
                || !(f[6].equals(NEVER) || Chronyc.counts(f, 6)) || !Chronyc.decimals(f, 7, 8, 9)) {
            return Optional.empty();
        }
        Long lastRx = f[6].equals(NEVER) ? null : Long.valueOf(f[6]);
        return Optional.of(new ChronycSource(f[0].charAt(0), f[1].charAt(0), f[2], Integer.parseInt(f[3]),
                Integer.parseInt(f[4]), Integer.parseInt(f[5], 8), lastRx, Double.parseDouble(f[7]),
                Double.parseDouble(f[8]), Double.parseDouble(f[9])));
    }

    /** The poll interval in seconds (at least 1: a reference clock polled faster than once a second counts 1). */
    public int pollSeconds() {
        return pollLog2 <= 0 ? 1 : 1 << Math.min(pollLog2, 30);
    }

    public boolean refclock() {
        return mode == '#';
    }

    /** The reach register in octal, as chronyc prints it. */
    public String reachOctal() {
        return Integer.toOctalString(reach);
    }
}
