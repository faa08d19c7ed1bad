package dev.ntpdeploy.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ntpdeploy.engine.ApplyOutcome;
import dev.ntpdeploy.engine.HostResult;
import dev.ntpdeploy.engine.HostStatus;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** apply's output: one line per host as it finishes, the Ansible-like recap, and the --json document. */
public final class ApplyReport {

    /** Built on first use only: an apply that prints text never pays Jackson's set-up (docs/benchmarks.md). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private ApplyReport() {
    }

    /** {@code changed: lab-h2 (uploaded /etc/ntpsec/ntp.conf; restarted ntpsec)}. */
    public static String hostLine(HostResult r) {
        return r.status().word() + ": " + r.host() + (r.message() == null || r.message().isEmpty() ? "" : " (" + r.message() + ")");
    }

    /** The recap: one aligned line per host with its counts, then the totals (and for a dry run, K of N). */
    public static void recap(ApplyOutcome outcome, PrintWriter out) {
        int width = outcome.results().stream().mapToInt(r -> r.host().length()).max().orElse(4);
        out.println();
        out.println(outcome.dryRun() ? "DRY RUN RECAP (nothing was changed)" : "PLAY RECAP");
        for (HostResult r : outcome.results()) {
            out.printf("%-" + width + "s : ok=%d changed=%d failed=%d unreachable=%d%s%n", r.host(),
                    r.status() == HostStatus.OK ? 1 : 0, r.status() == HostStatus.CHANGED ? 1 : 0,
                    r.status() == HostStatus.FAILED ? 1 : 0, r.status() == HostStatus.UNREACHABLE ? 1 : 0,
                    r.status() == HostStatus.SKIPPED ? " skipped=1" : "");
        }
        Map<HostStatus, Long> c = outcome.counts();
        out.printf("%-" + width + "s : ok=%d changed=%d failed=%d unreachable=%d%s%n", "TOTAL",
                c.get(HostStatus.OK), c.get(HostStatus.CHANGED), c.get(HostStatus.FAILED),
                c.get(HostStatus.UNREACHABLE), c.get(HostStatus.SKIPPED) > 0 ? " skipped=" + c.get(HostStatus.SKIPPED) : "");
        if (outcome.dryRun()) {
            out.println("would change " + c.get(HostStatus.CHANGED) + " of " + outcome.results().size() + " hosts");
        }
        if (outcome.interrupted()) {
            out.println("interrupted: hosts marked skipped were not started; run apply again to finish");
        }
    }

    /** The --json document (docs/apply.md "Output" documents it). */
    public static String json(ApplyOutcome outcome) {
        List<Map<String, Object>> hosts = new ArrayList<>();
        for (HostResult r : outcome.results()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("host", r.host());
            h.put("role", r.role().word());
            h.put("status", r.status().word());
            h.put("message", r.message());
            h.put("diff", r.diff());
            hosts.add(h);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        Map<HostStatus, Long> c = outcome.counts();
        for (HostStatus s : HostStatus.values()) {
            summary.put(s.word(), c.get(s));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("dry_run", outcome.dryRun());
        doc.put("interrupted", outcome.interrupted());
        doc.put("hosts", hosts);
        doc.put("summary", summary);
        // the same document as `verify --json`
        outcome.verified().ifPresent(v -> doc.put("verify", VerifyJson.tree(v)));
        try {
            return Json.MAPPER.writeValueAsString(doc);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
