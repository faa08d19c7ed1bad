package dev.ntpdeploy.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ntpdeploy.verify.Finding;
import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.VerifyResult;

/**
 * The machine form of a verify result (docs/verify.md "JSON"):
 * {@code {"hosts":[{"host","role","verdict","peer","stratum","offset_ms","jitter_ms","reach","findings":[{"code",
 * "severity","message","fix","evidence"}]}],"status"}}. Names are lower_snake, verdicts and statuses upper case,
 * roles lower case; unknown values are null; reach is the octal string ntpq prints ("377").
 */
public final class VerifyJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private VerifyJson() {
    }

    public static ObjectNode tree(VerifyResult result) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode hosts = root.putArray("hosts");
        for (HostVerdict h : result.hosts()) {
            ObjectNode n = hosts.addObject();
            n.put("host", h.host());
            n.put("role", h.role().word());
            n.put("verdict", h.verdict().name());
            n.put("peer", h.peer());
            n.put("stratum", h.stratum());
            n.put("offset_ms", h.offsetMs());
            n.put("jitter_ms", h.jitterMs());
            n.put("reach", h.reach() == null ? null : Integer.toOctalString(h.reach()));
            ArrayNode findings = n.putArray("findings");
            for (Finding f : h.findings()) {
                ObjectNode fn = findings.addObject();
                fn.put("code", f.code());
                fn.put("severity", f.severity().name());
                fn.put("message", f.message());
                fn.put("fix", f.fix());
                ArrayNode ev = fn.putArray("evidence");
                f.evidence().forEach(ev::add);
            }
        }
        root.put("status", result.status().name());
        return root;
    }

    public static String render(VerifyResult result) {
        try {
            return MAPPER.writeValueAsString(tree(result)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
