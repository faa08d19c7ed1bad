package dev.ntpdeploy.facts;

/** Output no parser rule covers: kept verbatim so the report can show it, never guessed at. */
public record Unparseable(String reason, String raw) implements NtpqPeers, SystemVarsReading {
}
