package dev.ntpdeploy.transport;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts.KnownHostEntry;

/**
 * The lines of known_hosts files found by the name they are for, so that checking one host looks at that host's
 * lines only: a plain name is a map look-up, a hashed line one HMAC, and only lines with wildcards or negations
 * are matched one by one. Names compare in lower case, as OpenSSH compares them. Scanning every line for every host cost 2.9 CPU-s, under one lock, at 500 hosts.
 *
 * <p>Safe for concurrent look-ups; {@link #add} (a first-use key) may run beside them. Hashed names are matched
 * here, with a Mac per thread, because sshj's matcher shares one Mac between threads.
 */
final class KnownHostsIndex {

    /** One line and the file it came from. */
    record Line(KnownHostEntry entry, String file, boolean revoked, boolean certAuthority, byte[] blob) {
    }

    private record Hashed(byte[] salt, byte[] hash, Line line) {
    }

    /**
     * A line whose names have wildcards or negations, matched as OpenSSH's match_hostname does: a name matching a
     * negated pattern is never this line's, otherwise any positive pattern may match (so a line of negations only
     * names no host). sshj's own matcher gets negation wrong: its "!a" matches every host but a, and "*,!a" matches
     * a too.
     */
    private record Patterns(List<Pattern> positive, List<Pattern> negated, Line line) {
        static Patterns of(String hosts, Line line) {
            List<Pattern> positive = new ArrayList<>();
            List<Pattern> negated = new ArrayList<>();
            for (String p : hosts.toLowerCase(Locale.ROOT).split(",")) {
                boolean not = p.startsWith("!");
                (not ? negated : positive).add(glob(not ? p.substring(1) : p));
            }
            return new Patterns(positive, negated, line);
        }

        boolean names(String host) {
            return negated.stream().noneMatch(p -> p.matcher(host).matches())
                    && positive.stream().anyMatch(p -> p.matcher(host).matches());
        }

        private static Pattern glob(String pattern) {
            StringBuilder re = new StringBuilder();
            StringBuilder literal = new StringBuilder();
            for (char c : pattern.toCharArray()) {
                if (c == '*' || c == '?') {
                    re.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
                    literal.setLength(0);
                } else {
                    literal.append(c);
                }
            }
            return Pattern.compile(re.append(Pattern.quote(literal.toString())).toString(), Pattern.DOTALL);
        }
    }

    private final Map<String, List<Line>> byName = new ConcurrentHashMap<>();
    private final List<Hashed> hashed = new CopyOnWriteArrayList<>();
    private final List<Patterns> patterns = new CopyOnWriteArrayList<>();

    private static final ThreadLocal<Mac> HMAC_SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA1");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 unavailable", e);
        }
    });

    /** sshj reads a line's key; it needs a known_hosts instance for that, this empty one. */
    private final OpenSSHKnownHosts.EntryFactory entries;

    KnownHostsIndex() {
        try {
            entries = new OpenSSHKnownHosts(new StringReader("")).new EntryFactory();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Indexes one line of a known_hosts file; comments and lines sshj cannot read are skipped, as sshj skips them. */
    void add(String text, String file) {
        KnownHostEntry entry;
        try {
            entry = entries.parseEntry(text);
        } catch (IOException | RuntimeException e) {
            return;
        }
        if (!(entry instanceof OpenSSHKnownHosts.HostEntry)) {
            return;
        }
        String[] fields = text.trim().split("\\s+");
        int at = fields[0].startsWith("@") ? 1 : 0;
        if (fields.length < at + 3) {
            return;
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(fields[at + 2]);
        } catch (IllegalArgumentException e) {
            return;
        }
        Line line = new Line(entry, file, fields[0].equals("@revoked"), fields[0].equals("@cert-authority"), blob);
        String hosts = fields[at];
        if (hosts.startsWith("|1|")) {
            String[] parts = hosts.split("\\|");
            try {
                hashed.add(new Hashed(Base64.getDecoder().decode(parts[2]), Base64.getDecoder().decode(parts[3]), line));
            } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                // a hashed name that cannot be read matches no host
            }
        } else if (hosts.matches(".*[*?!].*")) {
            patterns.add(Patterns.of(hosts, line));
        } else {
            for (String name : hosts.toLowerCase(Locale.ROOT).split(",")) {
                byName.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(line);
            }
        }
    }

    /** Every line that names {@code knownHostsName} (as {@link HostKeys#knownHostsName} spells it), in no order. */
    List<Line> linesFor(String knownHostsName) {
        List<Line> out = new ArrayList<>(byName.getOrDefault(knownHostsName, List.of()));
        if (!hashed.isEmpty()) {
            byte[] name = knownHostsName.getBytes(StandardCharsets.UTF_8);
            Mac mac = HMAC_SHA1.get();
            for (Hashed h : hashed) {
                try {
                    mac.init(new SecretKeySpec(h.salt, "HmacSHA1"));
                } catch (GeneralSecurityException e) {
                    continue;
                }
                if (MessageDigest.isEqual(mac.doFinal(name), h.hash)) {
                    out.add(h.line);
                }
            }
        }
        for (Patterns p : patterns) {
            if (p.names(knownHostsName)) {
                out.add(p.line);
            }
        }
        return out;
    }
}
