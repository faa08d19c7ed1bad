package dev.ntpdeploy.report;

import dev.ntpdeploy.verify.Finding;
import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.Severity;
import dev.ntpdeploy.verify.Status;
import dev.ntpdeploy.verify.Verdict;
import dev.ntpdeploy.verify.VerifyResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * The monitoring-plugin form of a verify result (Nagios, Icinga, Naemon, NRPE): the first line is the service
 * status a monitoring system shows, {@code NTP CRITICAL - 2 of 3 hosts in sync: h2 NTPD_NOT_RUNNING | perfdata},
 * then the host table as long output. Perfdata follows the monitoring-plugins guidelines
 * ({@code label=value[UOM];warn;crit;min;max}) and, for the offset, check_ntp_peer's own form: seconds with UOM
 * {@code s}, warn and crit the offset limits ({@code ntp_max_offset_ms}: half of it warns, all of it is critical).
 */
public final class VerifyNagios {

    /** Hosts named on the first line; the rest are counted ("+3 more"): a status line is read at a glance. */
    static final int NAMED_HOSTS = 5;

    private VerifyNagios() {
    }

    /**
     * @param offsetLimitMs each host's offset limit in ms ({@code ntp_max_offset_ms}), empty when not known
     */
    public static String render(VerifyResult result, Function<String, OptionalDouble> offsetLimitMs) {
        return statusLine(result, offsetLimitMs) + "\n" + VerifyText.table(result, false);
    }

    /** The first line: status, what is wrong where, and the perfdata after '|'. */
    static String statusLine(VerifyResult result, Function<String, OptionalDouble> offsetLimitMs) {
        List<HostVerdict> hosts = result.hosts();
        long inSync = hosts.stream().filter(VerifyNagios::inSync).count();
        StringBuilder s = new StringBuilder("NTP ").append(result.status()).append(" - ")
                .append(inSync).append(" of ").append(hosts.size()).append(" hosts in sync");
        List<String> troubled = hosts.stream().filter(h -> h.status() != Status.OK)
                .sorted(Comparator.comparing(HostVerdict::status).reversed())
                .map(h -> h.host() + " " + cause(h)).toList();
        if (!troubled.isEmpty()) {
            s.append(": ").append(String.join(", ", troubled.subList(0, Math.min(NAMED_HOSTS, troubled.size()))));
            if (troubled.size() > NAMED_HOSTS) {
                s.append(", +").append(troubled.size() - NAMED_HOSTS).append(" more");
            }
        }
        return s.append(" | ").append(String.join(" ", perfdata(hosts, offsetLimitMs))).toString();
    }

    /** The code that says most about a host: its first critical finding, else its first finding, else its verdict. */
    static String cause(HostVerdict h) {
        return h.findings().stream().filter(f -> f.severity() == Severity.CRITICAL).findFirst()
                .or(() -> h.findings().stream().findFirst())
                .map(Finding::code).orElse(h.verdictText());
    }

    private static List<String> perfdata(List<HostVerdict> hosts, Function<String, OptionalDouble> offsetLimitMs) {
        int n = hosts.size();
        List<String> p = new ArrayList<>();
        p.add("in_sync=" + hosts.stream().filter(VerifyNagios::inSync).count() + ";;;0;" + n);
        p.add("unknown=" + hosts.stream().filter(h -> h.status() == Status.UNKNOWN).count() + ";;;0;" + n);
        worstOffset(hosts, offsetLimitMs).ifPresent(p::add);
        hosts.stream().map(HostVerdict::jitterMs).filter(VerifyNagios::finite).max(Double::compare)
                .ifPresent(j -> p.add("jitter_max=" + seconds(j) + "s;;;0"));
        hosts.stream().map(HostVerdict::stratum).filter(x -> x != null).max(Integer::compare)
                .ifPresent(st -> p.add("stratum_max=" + st + ";;;0;16"));
        return p;
    }

    /**
     * The offset furthest out of its own host's limit (|offset| / limit; hosts may have different limits), as
     * check_ntp_peer prints an offset: {@code offset_max=0.000123s;0.064000;0.128000;0}.
     */
    private static Optional<String> worstOffset(List<HostVerdict> hosts, Function<String, OptionalDouble> limitMs) {
        String best = null;
        double worst = -1;
        for (HostVerdict h : hosts) {
            if (!finite(h.offsetMs())) {
                continue;
            }
            OptionalDouble limit = limitMs.apply(h.host());
            double abs = Math.abs(h.offsetMs());
            double ratio = limit.isPresent() && limit.getAsDouble() > 0 ? abs / limit.getAsDouble() : abs;
            if (ratio > worst) {
                worst = ratio;
                best = "offset_max=" + seconds(abs) + "s;"
                        + (limit.isPresent() ? seconds(limit.getAsDouble() / 2) + ";" + seconds(limit.getAsDouble())
                        : ";") + ";0";
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean finite(Double d) {
        return d != null && Double.isFinite(d);
    }

    /** Milliseconds as seconds with check_ntp_peer's six decimals (never an exponent, which perfdata parsers refuse). */
    private static String seconds(double ms) {
        return String.format(Locale.ROOT, "%.6f", ms / 1000.0);
    }

    private static boolean inSync(HostVerdict h) {
        return h.verdict() == Verdict.SERVING || h.verdict() == Verdict.SYNCED;
    }
}
