package dev.ntpdeploy.verify;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Fragments several finding texts share, written once beside the catalogue ({@link FindingCode}): a rule renders
 * one and passes it to a finding as a single parameter ({@code {{freshness}}}, {@code {{daemonAge}}}...).
 */
enum Phrase {
    /** How long the daemon has run: {@code uptime} is an Optional (empty: unknown). */
    DAEMON_AGE("{{#uptime}}{{daemon}} started {{uptime}} s ago{{/uptime}}{{^uptime}}{{daemon}}'s age unknown{{/uptime}}"),
    /** Whether a source answers now: {@code lastReply} is an Optional (empty: no reply yet). */
    FRESHNESS("reach {{reach}}{{^answered}} (last poll unanswered){{/answered}}"
            + "{{#lastReply}}, last reply {{lastReply}} s ago{{/lastReply}}{{^lastReply}}, no reply yet{{/lastReply}},"
            + " poll {{poll}} s"),
    /** One source in a list of upstreams. */
    SOURCE("{{address}} {{#refid}}{{refid}} {{/refid}}st {{stratum}} reach {{reach}}"
            + "{{#unresolved}} (name does not resolve){{/unresolved}}"),
    /** Upstreams the daemon lists nothing for. */
    NO_ASSOCIATION("no association for {{upstreams}} (the names never resolved)"),
    /** The daemon's own system state. */
    SYSTEM("(leap {{leap}}, stratum {{stratum}}, refid {{refid}})");

    private final FindingTemplate template;

    Phrase(String template) {
        this.template = new FindingTemplate(template);
    }

    FindingTemplate template() {
        return template;
    }

    /** @param params name, value pairs: exactly the names the phrase uses */
    String render(Object... params) {
        return template.render(FindingTemplate.params(List.of(template), params));
    }

    /** Whether the source answers now ("reach 374 (last poll unanswered), last reply 154 s ago, poll 64 s"). */
    static String freshness(Source s) {
        return FRESHNESS.render("reach", s.reachOctal(), "answered", s.latestAnswered(),
                "lastReply", java.util.Optional.ofNullable(s.lastReplySeconds()), "poll", s.pollSeconds());
    }

    /** Upstream sources as a message lists them; when there are none, the upstreams the inventory names. */
    static String sources(List<Source> sources, List<String> upstreams) {
        if (sources.isEmpty()) {
            return NO_ASSOCIATION.render("upstreams", String.join(", ", upstreams));
        }
        return sources.stream().map(s -> SOURCE.render("address", s.address(), "refid", s.refid(),
                "stratum", s.stratum(), "reach", s.reachOctal(), "unresolved", s.signal() == Source.Signal.UNRESOLVED))
                .collect(Collectors.joining(", "));
    }

    /** A number as ntpq would show it, without float noise: 0.0001, 22.654, 2000000. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v); // a column ntpq cannot have printed (Infinity from 400 digits): shown as read
        }
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
