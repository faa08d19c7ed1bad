package dev.ntpdeploy.facts;

/**
 * One row of the {@code ntpq -p} billboard, with the reach register helpers an operator reads it by.
 *
 * @param tally           the peer's selection code, ntpq's " x.-+#*o": ' ' rejected, x falseticker, . excess,
 *                        - outlier, + candidate, # backup, * system peer, o PPS peer
 * @param remote          address or name as printed (may be cut to 15 chars, may contain " (" on classic 4.2.8)
 * @param refid           the server's reference (".INIT.", ".LOCL.", an address...), may be empty
 * @param stratum         the server's stratum (16 = unsynchronised)
 * @param type            u l p a b B M s S or a digit (NTS)
 * @param whenSeconds     seconds since the last packet, null when printed "-" (never / under 1 s)
 * @param pollSeconds     poll interval in seconds
 * @param reach           the 8-bit reach register (printed in octal)
 * @param offsetTruncated the offset was printed without decimals (|value| too large for the column)
 */
public record Peer(char tally, String remote, String refid, int stratum, char type, Integer whenSeconds,
                   int pollSeconds, int reach, double delayMs, double offsetMs, double jitterMs,
                   boolean offsetTruncated) {

    /** The system peer ('*'), or the PPS-disciplined system peer ('o'). */
    public boolean isSystemPeer() {
        return tally == '*' || tally == 'o';
    }

    /** Bit 0 of reach: the latest poll got a valid reply. */
    public boolean latestAnswered() {
        return (reach & 1) != 0;
    }

    /** How many of the last 8 polls got a valid reply. */
    public int answeredCount() {
        return Integer.bitCount(reach & 0xff);
    }

    /**
     * Polls missed since the first success still in the register: 377 -> 0, 376 -> 1, 374 -> 2, 357 -> 1,
     * 17 (recent start) -> 0. Zero when nothing was ever answered.
     */
    public int missedSinceFirstSuccess() {
        int r = reach & 0xff;
        if (r == 0) {
            return 0;
        }
        int span = 32 - Integer.numberOfLeadingZeros(r);
        return span - Integer.bitCount(r);
    }

    /** A reference clock driver (LOCAL, GPS...): pseudo address 127.127.t.u or the driver's name. */
    public boolean isRefclock() {
        return type == 'l' || remote.startsWith("127.127.") || remote.matches("[A-Z_]+\\(\\d+\\)");
    }

    /** The undisciplined local clock driver (LOCAL(0), 127.127.1.x, refid .LOCL.). */
    public boolean isLocalClock() {
        return ".LOCL.".equals(refid) || remote.startsWith("LOCAL(") || remote.startsWith("127.127.1.");
    }

    /** A pool prototype row: never selectable, spawns the real servers. */
    public boolean isPoolPrototype() {
        return type == 'p' || ".POOL.".equals(refid);
    }

    /** The poll is overdue: nothing heard for more than two poll intervals. */
    public boolean overdue() {
        return whenSeconds != null && whenSeconds > 2L * pollSeconds;
    }

    /** Reach in octal, as ntpq prints it. */
    public String reachOctal() {
        return Integer.toOctalString(reach);
    }
}
