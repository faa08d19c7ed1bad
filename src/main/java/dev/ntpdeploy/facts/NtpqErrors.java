package dev.ntpdeploy.facts;

import java.util.Optional;
import java.util.regex.Pattern;

/** Recognises ntpq's error messages (classic 4.2.6/4.2.8 and NTPsec wording) anywhere in its output. */
final class NtpqErrors {

    private static final Pattern MISSING = Pattern.compile("(?m)ntpq: (command )?not found|ntpq: No such file");

    private NtpqErrors() {
    }

    /**
     * @param text     stdout and stderr of one ntpq call
     * @param exitCode its exit status, or -1 when unknown (NTPsec exits 0 even on errors)
     */
    static Optional<NtpqFailed> classify(String text, int exitCode) {
        if (exitCode == 127 || MISSING.matcher(text).find()) {
            return failed(NtpqError.NTPQ_MISSING, text, "not found");
        }
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.contains("Connection refused") || l.contains("Socket error")) {
                return failed(NtpqError.NOT_LISTENING, l);
            }
            if (l.contains("timed out, nothing received") || l.contains("Request timed out")) {
                return failed(NtpqError.NO_REPLY, l);
            }
            if (l.contains("incomplete")) {
                return failed(NtpqError.INCOMPLETE, l);
            }
            if (l.contains("lookup of") || l.contains("Name or service not known")
                    || l.contains("Temporary failure in name resolution")) {
                return failed(NtpqError.LOOKUP_FAILED, l);
            }
            if (l.startsWith("***Server error") || l.contains("request variable unknown")
                    || l.contains("Server disallowed request")) {
                return failed(NtpqError.SERVER_ERROR, l);
            }
        }
        return Optional.empty();
    }

    private static Optional<NtpqFailed> failed(NtpqError error, String line) {
        return Optional.of(new NtpqFailed(error, line));
    }

    private static Optional<NtpqFailed> failed(NtpqError error, String text, String marker) {
        for (String line : text.split("\n")) {
            if (line.contains(marker)) {
                return failed(error, line.strip());
            }
        }
        return failed(error, "exit status 127");
    }
}
