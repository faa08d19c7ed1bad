package dev.ntpdeploy.facts;

/** ntpq ran but could not ask the daemon: the classified cause and the line that proves it. */
public record NtpqFailed(NtpqError error, String evidence) implements NtpqPeers, SystemVarsReading {
}
