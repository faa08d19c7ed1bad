package dev.ntpdeploy.watch;

import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Role;
import dev.ntpdeploy.verify.Finding;
import dev.ntpdeploy.verify.Verdict;

import java.time.Instant;
import java.util.Optional;

/**
 * One host's change between two rounds: it lost or regained sync (from/to are verdicts), or a finding
 * appeared or cleared (from/to are "absent"/"present").
 *
 * @param daemon the host's daemon family in the later round (empty when not known)
 */
public record StateChange(Instant time, long round, String host, Role role, Kind kind, String from, String to,
                          Optional<Finding> finding, Optional<Flavor> daemon) {

    /** A change of a host whose daemon is not known. */
    public StateChange(Instant time, long round, String host, Role role, Kind kind, String from, String to,
                       Optional<Finding> finding) {
        this(time, round, host, role, kind, from, to, finding, Optional.empty());
    }

    public enum Kind {
        LOST_SYNC("lost_sync"),
        REGAINED_SYNC("regained_sync"),
        FINDING_APPEARED("finding_appeared"),
        FINDING_CLEARED("finding_cleared");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** The single stderr line an operator reads in the journal. */
    public String logLine() {
        String who = host + " (" + role.word() + ")";
        return switch (kind) {
            case LOST_SYNC -> "watch: " + who + " lost sync: " + verdictText(from) + " -> " + verdictText(to);
            case REGAINED_SYNC -> "watch: " + who + " in sync: " + verdictText(from) + " -> " + verdictText(to);
            case FINDING_APPEARED -> "watch: " + who + " finding appeared: " + describe(finding.orElseThrow());
            case FINDING_CLEARED -> "watch: " + who + " finding cleared: " + finding.orElseThrow().code();
        };
    }

    /** A verdict's name as people read it ({@link Verdict#text}: DAEMON_DOWN names the daemon). */
    private String verdictText(String verdict) {
        try {
            return Verdict.valueOf(verdict).text(daemon);
        } catch (IllegalArgumentException e) {
            return verdict;
        }
    }

    private static String describe(Finding f) {
        return f.code() + " (" + f.severity() + "): " + f.message();
    }
}
