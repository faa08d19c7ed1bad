package dev.ntpdeploy.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.verify.Finding;
import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.VerifyResult;

/**
 * The machine form of a verify result (docs/verify.md "JSON"), and of its hosts and findings wherever they are
 * written (apply's --json, watch's history and hook):
 * {@code {"hosts":[{"host","role","daemon","verdict","peer","stratum","offset_ms","jitter_ms","reach","findings":[{"code",
 * "severity","message","fix","evidence"}]}],"status"}}. Names are lower_snake, verdicts and statuses upper case,
 * roles lower case, daemon the ntp_flavor word (ntp, ntpsec, chrony); unknown values are null; reach is the octal
 * string ntpq prints ("377").
 */
public final class VerifyJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private VerifyJson() {
    }

    public static ObjectNode tree(VerifyResult result) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode hosts = root.putArray("hosts");
        for (HostVerdict h : result.hosts()) {
            host(hosts.addObject(), h);
        }
        root.put("status", result.status().name());
        return root;
    }

    /**
     * One host's verdict, as verify's JSON, apply's "verify" and each watch history line hold it:
     * host, role, daemon, verdict, peer, stratum, offset_ms, jitter_ms, reach and findings.
     */
    public static ObjectNode host(ObjectNode n, HostVerdict h) {
        n.put("host", h.host());
        n.put("role", h.role().word());
        n.put("daemon", h.daemon().map(Flavor::word).orElse(null));
        n.put("verdict", h.verdict().name());
        n.put("peer", h.peer());
        n.put("stratum", h.stratum());
        n.put("offset_ms", finite(h.offsetMs()));
        n.put("jitter_ms", finite(h.jitterMs()));
        n.put("reach", h.reach() == null ? null : Integer.toOctalString(h.reach()));
        ArrayNode findings = n.putArray("findings");
        h.findings().forEach(f -> finding(findings.addObject(), f));
        return n;
    }

    /** One finding, the one form everywhere (verify, apply, watch's history and hook): code, severity, message, fix, evidence. */
    public static ObjectNode finding(ObjectNode n, Finding f) {
        n.put("code", f.code());
        n.put("severity", f.severity().name());
        n.put("message", f.message());
        n.put("fix", f.fix());
        ArrayNode ev = n.putArray("evidence");
        f.evidence().forEach(ev::add);
        return n;
    }

    /** JSON has no NaN or infinity: an offset ntpq could not print is unknown (null). */
    private static Double finite(Double d) {
        return d == null || !Double.isFinite(d) ? null : d;
    }

    public static String render(VerifyResult result) {
        try {
            return MAPPER.writeValueAsString(tree(result)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
