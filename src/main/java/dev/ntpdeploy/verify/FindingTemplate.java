package dev.ntpdeploy.verify;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.reflect.Guard;
import com.github.mustachejava.reflect.MissingWrapper;
import com.github.mustachejava.reflect.ReflectionObjectHandler;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A finding's message or fix as the catalogue writes it: a Mustache template over named parameters
 * ({@code {{host}}}, {@code {{#owners}} (owned by {{owners}}){{/owners}}}: a section shows when its value is true or
 * a non-empty text). Values are written as they are (findings are not HTML) and every name the template uses must be
 * given, even one inside a section not taken, so a rule that forgets a parameter fails its tests instead of printing
 * an empty word to an operator. Compiled on first use; thread-safe.
 */
final class FindingTemplate {

    private static final Pattern TAG = Pattern.compile("\\{\\{\\s*[#^/]?\\s*([A-Za-z][A-Za-z0-9]*)\\s*}}");
    private static final DefaultMustacheFactory FACTORY = new RawStrictFactory();

    private final String source;
    private final Set<String> names;
    private Mustache compiled;

    FindingTemplate(String source) {
        this.source = source;
        Set<String> n = new LinkedHashSet<>();
        Matcher m = TAG.matcher(source);
        while (m.find()) {
            n.add(m.group(1));
        }
        this.names = Set.copyOf(n);
    }

    /** The template as the catalogue writes it. */
    String source() {
        return source;
    }

    /** Every parameter name the template uses. */
    Set<String> names() {
        return names;
    }

    /**
     * Name, value pairs as a map, each name one that {@code templates} use: a misspelt name fails instead of
     * leaving its word out.
     */
    static Map<String, Object> params(List<FindingTemplate> templates, Object... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("parameters come in name, value pairs: " + List.of(pairs));
        }
        Map<String, Object> out = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            String name = (String) pairs[i];
            if (templates.stream().noneMatch(t -> t.names.contains(name))) {
                throw new IllegalArgumentException("{{" + name + "}} is not used by: "
                        + templates.stream().map(t -> t.source).toList());
            }
            if (pairs[i + 1] == null || out.put(name, pairs[i + 1]) != null) {
                throw new IllegalArgumentException("{{" + name + "}} given twice or as null");
            }
        }
        return out;
    }

    /** @throws IllegalArgumentException when a name the template uses has no value */
    String render(Map<String, ?> params) {
        for (String name : names) {
            if (params.get(name) == null) {
                throw new IllegalArgumentException("no value for {{" + name + "}} in: " + source);
            }
        }
        StringWriter out = new StringWriter();
        mustache().execute(out, params);
        return out.toString();
    }

    private synchronized Mustache mustache() {
        if (compiled == null) {
            compiled = FACTORY.compile(new StringReader(source), source);
        }
        return compiled;
    }

    /** Raw values (no HTML escaping), and a name no scope defines is an error, never an empty string. */
    private static final class RawStrictFactory extends DefaultMustacheFactory {
        RawStrictFactory() {
            setObjectHandler(new ReflectionObjectHandler() {
                @Override
                protected MissingWrapper createMissingWrapper(String name, List<Guard> guards) {
                    throw new IllegalArgumentException("no value for {{" + name + "}}");
                }
            });
        }

        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new MustacheException("failed to write", e);
            }
        }
    }
}
