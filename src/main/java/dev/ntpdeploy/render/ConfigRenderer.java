package dev.ntpdeploy.render;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.TemplateContext;
import com.github.mustachejava.reflect.Guard;
import com.github.mustachejava.reflect.MissingWrapper;
import com.github.mustachejava.reflect.ReflectionObjectHandler;
import com.github.mustachejava.resolver.FileSystemResolver;
import dev.ntpdeploy.inventory.Cidr;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.inventory.NtpSpec;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Renders the config a host must have from its flavor's and role's Mustache template
 * ({@code ntp.conf.master.mustache} / {@code ntp.conf.client.mustache}, {@code chrony.conf.<role>.mustache} for
 * chrony, in the templates directory: {@link Flavor#templateName}).
 *
 * <p>Strict: values are written raw (mustache.java HTML-escapes by default, which would turn
 * {@code &} into {@code &amp;} in a config), and a variable the template names but neither the
 * view model nor the host's inventory variables define is an error naming the template file and
 * line, never an empty string. The output starts with a one-line header comment and carries no
 * timestamp: the same inventory always renders the same bytes.
 */
public final class ConfigRenderer {

    /** Every rendered file starts with this (apply may look for it to recognise its own files). */
    public static final String HEADER_PREFIX = "# managed by ntpdeploy";

    private final Path templatesDir;
    /** Null when the directory does not exist (FileSystemResolver refuses it): render then says so. */
    private final DefaultMustacheFactory factory;

    /** Thread-safe: one renderer may serve parallel hosts. */
    public ConfigRenderer(Path templatesDir) {
        this.templatesDir = templatesDir;
        this.factory = Files.isDirectory(templatesDir) ? new StrictFactory(templatesDir) : null;
    }

    public Path templatesDir() {
        return templatesDir;
    }

    /**
     * @param flavor the flavor to render for (callers resolve auto first, from the host or --flavor)
     * @throws RenderException naming the template file and line
     */
    public String render(Host host, Inventory inventory, Flavor flavor) throws RenderException {
        java.util.Objects.requireNonNull(flavor, "resolve the flavor before rendering");
        String name = flavor.templateName(host.role());
        Path template = templatesDir.resolve(name);
        if (factory == null) {
            throw new RenderException(templatesDir + ": templates directory not found (point --templates at a directory"
                    + " holding ntp.conf.master.mustache and ntp.conf.client.mustache)");
        }
        if (!Files.isRegularFile(template)) {
            throw new RenderException(template + ": template not found (restore it from the ntpdeploy repository,"
                    + " or point --templates at a directory holding ntp.conf.master.mustache and ntp.conf.client.mustache)");
        }
        StringWriter out = new StringWriter();
        out.write(header(host, flavor));
        try {
            Mustache m = factory.compile(name);
            m.execute(out, List.of(host.vars(), ViewModel.of(host, inventory, flavor))).flush();
        } catch (MustacheException e) {
            throw translate(e, template, host);
        } catch (IOException e) {
            throw new RenderException(template + ": " + e.getMessage());
        }
        return out.toString();
    }

    private static String header(Host host, Flavor flavor) {
        return HEADER_PREFIX + " for " + host.name() + " (" + host.role().word() + ", " + flavor.word()
                + "): edit the inventory, not this file\n";
    }

    private RenderException translate(MustacheException e, Path template, Host host) {
        TemplateContext tc = e.getContext();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MustacheException me && me.getContext() != null) {
                tc = me.getContext();
            }
            if (t instanceof MissingVariable mv) {
                return new RenderException(where(template, tc) + ": variable '" + mv.name + "' is not set for host '"
                        + host.name() + "' (define '" + mv.name + "' in the inventory's vars, or remove it from the template)");
            }
        }
        String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
        return new RenderException(where(template, tc) + ": template error: " + oneLine(why)
                + " (fix the template; check that every {{#section}} is closed by {{/section}})");
    }

    private Path fileOf(Path fallback, TemplateContext tc) {
        return tc == null || tc.file() == null ? fallback : templatesDir.resolve(tc.file());
    }

    private String where(Path template, TemplateContext tc) {
        return fileOf(template, tc) + (tc != null && tc.line() > 0 ? ":" + tc.line() : "");
    }

    private static String oneLine(String s) {
        return s == null ? "unknown error" : s.replaceAll("\\s+", " ").trim();
    }

    /** Raw values, strict lookups, templates only from the given directory. */
    private static final class StrictFactory extends DefaultMustacheFactory {
        StrictFactory(Path dir) {
            super(new FileSystemResolver(dir.toFile()));
            setObjectHandler(new StrictObjectHandler());
        }

        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value); // configs are not HTML
            } catch (IOException e) {
                throw new MustacheException("failed to write", e);
            }
        }
    }

    private static final class StrictObjectHandler extends ReflectionObjectHandler {
        @Override
        protected MissingWrapper createMissingWrapper(String name, List<Guard> guards) {
            throw new MissingVariable(name);
        }
    }

    private static final class MissingVariable extends RuntimeException {
        final String name;

        MissingVariable(String name) {
            super("variable '" + name + "' is not set", null, false, false);
            this.name = name;
        }
    }

    /** What the templates see, computed from the host, the inventory and the flavor. */
    static final class ViewModel {
        private ViewModel() {
        }

        static Map<String, Object> of(Host host, Inventory inventory, Flavor flavor) {
            NtpSpec ntp = host.ntp();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", host.name());
            m.put("role", host.role().word());
            m.put("flavor", flavor.word());
            m.put("classic", flavor == Flavor.NTP);
            m.put("ntpsec", flavor == Flavor.NTPSEC);
            m.put("chrony", flavor == Flavor.CHRONY);
            m.put("drift_file", flavor.driftFile());
            String pollOptions = poll(ntp.minpoll(), "minpoll") + poll(ntp.maxpoll(), "maxpoll");
            String serverOptions = (ntp.iburst() ? " iburst" : "") + pollOptions;
            List<String> servers = host.isMaster() ? ntp.upstream()
                    : inventory.masters().stream().map(h -> h.ntp().serverAddress()).toList();
            List<Map<String, Object>> serverList = new ArrayList<>();
            for (String s : servers) {
                serverList.add(Map.of("address", s, "options", serverOptions));
            }
            m.put("servers", serverList);
            boolean master = host.isMaster();
            m.put("local_clock", master && ntp.localClock()
                    ? List.of(Map.of("stratum", ntp.localStratum(), "options", pollOptions)) : List.of());
            m.put("orphan", master ? optional(ntp.orphanStratum(), "stratum") : List.of());
            m.put("orphan_wait", master ? optional(ntp.orphanWait(), "seconds") : List.of());
            // chrony has one `local` line: orphan mode when asked for (several masters), else the local clock;
            // it serves at that stratum (ntpd's LOCAL fudge serves one below)
            if (master && ntp.orphanStratum().isPresent()) {
                m.put("local", List.of(Map.of("stratum", ntp.orphanStratum().getAsInt(), "orphan", true)));
            } else if (master && ntp.localClock()) {
                m.put("local", List.of(Map.of("stratum", ntp.localStratum(), "orphan", false)));
            } else {
                m.put("local", List.of());
            }
            List<Map<String, Object>> allow = new ArrayList<>();
            if (master) {
                for (Cidr cidr : ntp.allow()) {
                    // classic ntpd wants "restrict -6 ADDR mask M"; ntpsec 1.2.2 rejects that as a syntax
                    // error (checked with its ntpd) and takes IPv6 without the -6
                    String family = cidr.isIpv6() && flavor == Flavor.NTP ? "-6 " : "";
                    allow.add(Map.of("family", family, "network", cidr.networkText(),
                            "mask", cidr.maskText(), "cidr", cidr.toString()));
                }
            }
            m.put("allow", allow);
            m.put("serve_others", ntp.serveOthers());
            m.put("deny_others", !ntp.serveOthers());
            m.put("extra", ntp.extra());
            return m;
        }

        private static String poll(OptionalInt v, String word) {
            return v.isPresent() ? " " + word + " " + v.getAsInt() : "";
        }

        private static List<Map<String, Object>> optional(OptionalInt v, String key) {
            return v.isPresent() ? List.of(Map.of(key, v.getAsInt())) : List.of();
        }
    }
}
