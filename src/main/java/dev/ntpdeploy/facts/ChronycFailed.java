package dev.ntpdeploy.facts;

import java.util.Optional;
import java.util.regex.Pattern;

/** chronyc ran but could not ask the daemon, or is not there: the classified cause and the line that proves it. */
public record ChronycFailed(Cause cause, String evidence) implements Chronyc {

    /** Why chronyc printed no report: each maps to one cause an operator recognises. */
    public enum Cause {
        /** chronyc is not installed (exit 127, "not found"). */
        CHRONYC_MISSING,
        /** "506 Cannot talk to daemon": chronyd is not running, or its command socket is unreachable. */
        NO_DAEMON,
        /** "501 Not authorised": the command needs the Unix socket (root) and went over UDP. */
        NOT_AUTHORISED,
        /** Another numbered chronyc error ("5xx ..."). */
        ERROR
    }

    private static final Pattern MISSING = Pattern.compile("chronyc: (command )?not found|chronyc: No such file");
    private static final Pattern NUMBERED = Pattern.compile("^5\\d\\d [A-Za-z].*");

    static Optional<ChronycFailed> classify(Chronyc.Output o) {
        String text = o.text();
        if (o.exitCode() == 127 || MISSING.matcher(text).find()) {
            String line = text.lines().filter(l -> l.contains("not found") || l.contains("No such file")).findFirst()
                    .orElse("exit status 127");
            return Optional.of(new ChronycFailed(Cause.CHRONYC_MISSING, line.strip()));
        }
        for (String raw : text.split("\n")) {
            String l = raw.strip();
            if (l.startsWith("506 ")) {
                return Optional.of(new ChronycFailed(Cause.NO_DAEMON, l));
            }
            if (l.startsWith("501 ")) {
                return Optional.of(new ChronycFailed(Cause.NOT_AUTHORISED, l));
            }
            if (NUMBERED.matcher(l).matches()) {
                return Optional.of(new ChronycFailed(Cause.ERROR, l));
            }
        }
        return Optional.empty();
    }
}
