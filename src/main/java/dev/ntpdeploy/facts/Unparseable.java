package dev.ntpdeploy.facts;

/** Output no parser rule covers: kept verbatim so the report can show it, never guessed at. */
public record Unparseable(String reason, String raw) implements NtpqPeers, SystemVarsReading, Chronyc {

    /** An exception met while reading a host's output, as one line for a reason: its type and message (cut). */
    public static String describe(Throwable e) {
        String m = e.getMessage() == null ? "" : ": " + e.getMessage().replaceAll("\\s+", " ").strip();
        return e.getClass().getSimpleName() + (m.length() > 200 ? m.substring(0, 197) + "..." : m);
    }
}
