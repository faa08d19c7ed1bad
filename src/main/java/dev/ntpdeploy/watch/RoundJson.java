package dev.ntpdeploy.watch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ntpdeploy.verify.Finding;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The JSON that watch writes: one object per round (history) and one per state change (hook stdin).
 * Field names and forms follow verify's --json (snake_case, reach in octal as ntpq prints it); an unknown value
 * is null, never 0.
 */
final class RoundJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RoundJson() {
    }

    /** The round as one line of JSON, newline included. */
    static String line(RoundResult round) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("round", round.number());
        o.put("time", round.startedAt().toString());
        o.put("duration_s", seconds(round.duration().toNanos() / 1e9));
        o.put("status", round.status().name());
        o.put("error", round.error().orElse(null));
        var hosts = o.putArray("hosts");
        for (HostResult h : round.hosts()) {
            ObjectNode n = hosts.addObject();
            n.put("host", h.host());
            n.put("role", h.role().word());
            n.put("verdict", h.verdict());
            putBool(n, "synced", h.synced());
            n.put("peer", h.peer().orElse(null));
            putInt(n, "stratum", h.stratum());
            putDouble(n, "offset_ms", h.offsetMs());
            putDouble(n, "jitter_ms", h.jitterMs());
            n.put("reach", h.reach().isPresent() ? Integer.toOctalString(h.reach().getAsInt()) : null);
            putBool(n, "config_drift", h.configDrift());
            var findings = n.putArray("findings");
            h.findings().forEach(f -> finding(findings.addObject(), f));
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
        o.put("change", c.kind().word());
        o.put("from", c.from());
        o.put("to", c.to());
        c.finding().ifPresent(f -> finding(o.putObject("finding"), f));
        return write(o);
    }

    private static void finding(ObjectNode n, Finding f) {
        n.put("code", f.code());
        n.put("severity", f.severity().name());
        n.put("message", f.message());
        n.put("fix", f.fix());
    }

    private static void putBool(ObjectNode n, String key, Optional<Boolean> v) {
        if (v.isPresent()) {
            n.put(key, v.get());
        } else {
            n.putNull(key);
        }
    }

    private static void putInt(ObjectNode n, String key, OptionalInt v) {
        if (v.isPresent()) {
            n.put(key, v.getAsInt());
        } else {
            n.putNull(key);
        }
    }

    private static void putDouble(ObjectNode n, String key, OptionalDouble v) {
        if (v.isPresent() && Double.isFinite(v.getAsDouble())) {
            n.put(key, v.getAsDouble());
        } else {
            n.putNull(key);
        }
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
