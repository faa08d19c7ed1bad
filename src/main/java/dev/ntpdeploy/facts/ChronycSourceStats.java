package dev.ntpdeploy.facts;

import java.util.Optional;

/**
 * One {@code chronyc -n -c sourcestats} line: chrony's regression over a source's recent samples.
 *
 * @param samples   NP: samples kept
 * @param runs      NR: runs of residuals of the same sign (few runs: the model no longer fits)
 * @param stdDevS   the samples' standard deviation: the counterpart of ntpd's jitter
 */
public record ChronycSourceStats(String address, int samples, int runs, long spanS, double frequencyPpm,
                                 double freqSkewPpm, double offsetS, double stdDevS) {

    static Optional<ChronycSourceStats> parse(String line) {
        Optional<String[]> o = Chronyc.fields(line, 8);
        if (o.isEmpty()) {
            return Optional.empty();
        }
        String[] f = o.get();
        if (f[0].isEmpty() || f[0].contains(" ") || !Chronyc.counts(f, 1, 2, 3) || !Chronyc.decimals(f, 4, 5, 6, 7)) {
            return Optional.empty();
        }
        return Optional.of(new ChronycSourceStats(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                Long.parseLong(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
                Double.parseDouble(f[7])));
    }
}
