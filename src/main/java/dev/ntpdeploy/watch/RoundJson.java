package dev.ntpdeploy.watch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.report.VerifyJson;
import dev.ntpdeploy.verify.HostVerdict;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The JSON that watch writes: one object per round (history) and one per state change (hook stdin).
 * Hosts and findings are written by verify's own serializer ({@link VerifyJson}: snake_case, reach in octal as ntpq
 * prints it); an unknown value is null, never 0.
 */
final class RoundJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RoundJson() {
    }

    /** The round as one line of JSON, newline included: each host as verify's JSON has it, plus synced and config_drift. */
    static String line(RoundResult round) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("round", round.number());
        o.put("time", round.startedAt().toString());
        o.put("duration_s", seconds(round.duration().toNanos() / 1e9));
        o.put("status", round.status().name());
        o.put("error", round.error().orElse(null));
        var hosts = o.putArray("hosts");
        for (HostVerdict h : round.hosts()) {
            ObjectNode n = VerifyJson.host(hosts.addObject(), h);
            n.put("synced", h.synced().orElse(null));
            n.put("config_drift", h.configDrift().orElse(null));
        }
        return write(o) + "\n";
    }

    /** The change as one JSON object (no newline), as the --on-change hook reads it on stdin. */
    static String change(StateChange c) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("time", c.time().toString());
        o.put("round", c.round());
        o.put("host", c.host());
        o.put("role", c.role().word());
        o.put("daemon", c.daemon().map(Flavor::word).orElse(null));
        o.put("change", c.kind().word());
        o.put("from", c.from());
        o.put("to", c.to());
        c.finding().ifPresent(f -> VerifyJson.finding(o.putObject("finding"), f));
        return write(o);
    }

    private static BigDecimal seconds(double s) {
        return BigDecimal.valueOf(s).setScale(3, RoundingMode.HALF_UP);
    }

    private static String write(ObjectNode o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
