package dev.ntpdeploy.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The facts {@code chronyc -n -c tracking}, {@code -c sources} and {@code -c sourcestats}: chrony's own account of
 * its synchronisation, or why chronyc could not give it. Machine-readable output (CSV, plain seconds, no name
 * lookups, {@code 4294967295} for "never"); the field lists are chrony 4.x's ({@code client.c}), checked against
 * chrony 4.3. Total: any text gives a {@link Report}, a {@link ChronycFailed} or an {@link Unparseable} holding it.
 */
public sealed interface Chronyc permits Chronyc.Report, ChronycFailed, Unparseable {

    String TRACKING = "chronyc -n -c tracking";
    String SOURCES = "chronyc -n -c sources";
    String SOURCESTATS = "chronyc -n -c sourcestats";

    /** What one chronyc call printed (stdout and stderr) and its exit status (-1 when unknown). */
    record Output(String text, int exitCode) {
        public Output {
            text = text == null ? "" : text.replace("\r", "");
        }
    }

    /** chronyc answered: the system's tracking, its sources in printed order, their statistics. */
    record Report(ChronycTracking tracking, List<ChronycSource> sources, List<ChronycSourceStats> stats)
            implements Chronyc {
        public Report {
            sources = List.copyOf(sources);
            stats = List.copyOf(stats);
        }

        /** The statistics of the source printed as {@code address}, when sourcestats listed it. */
        public Optional<ChronycSourceStats> statsOf(String address) {
            return stats.stream().filter(s -> s.address().equals(address)).findFirst();
        }
    }

    /** A decimal as chronyc prints it (%f): never Java's other spellings (hex, NaN, Infinity, a d/f suffix). */
    Pattern DECIMAL = Pattern.compile("-?\\d{1,12}(\\.\\d{1,12})?");
    Pattern COUNT = Pattern.compile("\\d{1,9}");

    /**
     * Reads the three calls. The tracking call decides a failure (chronyc missing, no daemon, not authorised);
     * sources must be readable too; sourcestats is optional (only the sources' spread comes from it).
     */
    static Chronyc parse(Output tracking, Output sources, Output sourcestats) {
        Optional<ChronycFailed> failed = ChronycFailed.classify(tracking);
        if (failed.isPresent()) {
            return failed.get();
        }
        List<String> t = lines(tracking.text());
        if (t.size() != 1) {
            return new Unparseable(t.isEmpty() ? "chronyc tracking printed nothing"
                    : "chronyc tracking printed " + t.size() + " lines, expected one", tracking.text());
        }
        Optional<ChronycTracking> tr = ChronycTracking.parse(t.get(0));
        if (tr.isEmpty()) {
            return new Unparseable("unreadable chronyc tracking line: " + t.get(0), tracking.text());
        }
        Optional<ChronycFailed> sourcesFailed = ChronycFailed.classify(sources);
        if (sourcesFailed.isPresent()) {
            return sourcesFailed.get();
        }
        List<ChronycSource> list = new ArrayList<>();
        for (String line : lines(sources.text())) {
            Optional<ChronycSource> s = ChronycSource.parse(line);
            if (s.isEmpty()) {
                return new Unparseable("unreadable chronyc sources line: " + line, sources.text());
            }
            list.add(s.get());
        }
        List<ChronycSourceStats> stats = new ArrayList<>();
        if (ChronycFailed.classify(sourcestats).isEmpty()) {
            for (String line : lines(sourcestats.text())) {
                ChronycSourceStats.parse(line).ifPresent(stats::add);
            }
        }
        return new Report(tr.get(), list, stats);
    }

    private static List<String> lines(String text) {
        return text.lines().filter(l -> !l.isBlank()).map(String::strip).toList();
    }

    /** The comma-separated fields of a line, exactly {@code n} of them, else empty. */
    static Optional<String[]> fields(String line, int n) {
        String[] f = line.split(",", -1);
        return f.length == n ? Optional.of(f) : Optional.empty();
    }

    static boolean decimals(String[] f, int... at) {
        for (int i : at) {
            if (!DECIMAL.matcher(f[i]).matches()) {
                return false;
            }
        }
        return true;
    }

    static boolean counts(String[] f, int... at) {
        for (int i : at) {
            if (!COUNT.matcher(f[i]).matches()) {
                return false;
            }
        }
        return true;
    }
}
