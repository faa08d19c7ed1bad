package dev.ntpdeploy.cli;

import dev.ntpdeploy.Exit;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.render.AtomicWrite;
import dev.ntpdeploy.render.ConfigRenderer;
import dev.ntpdeploy.render.RenderException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ntpdeploy render}: prints (or writes) the ntp.conf each host would get; touches no host. */
@Command(name = "render",
        description = {
                "Print the ntp.conf each inventory host would get, or write DIR/<host>.conf with --out.",
                "Nothing is contacted or changed. Hosts whose ntp_flavor is 'auto' (detected on the host by apply)"
                        + " render as ntpsec here, the daemon Debian 12+ and Ubuntu 24.04 ship; use --flavor to choose.",
                "An invalid inventory renders nothing and exits 65."})
public final class Render implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    InventoryOptions inventory;

    @Option(names = "--host", paramLabel = "NAME", description = "Render only this host (repeatable).")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Write DIR/<host>.conf per host (atomically) instead of printing.")
    Path out;

    @Option(names = "--flavor", paramLabel = "ntp|ntpsec|chrony", converter = RenderFlavor.class,
            description = "Render every host for this daemon flavor (default: each host's ntp_flavor; auto -> ntpsec).")
    Flavor flavor;

    /** One rendered config and where it goes. */
    private record Rendered(Host host, Flavor flavor, String text) {
    }

    @Override
    public Integer call() throws Exception {
        Inventory inv = inventory.load();
        List<Host> selected = select(inv);
        ConfigRenderer renderer = inventory.renderer();
        List<Rendered> all = new ArrayList<>();
        for (Host h : selected) { // render everything before writing anything
            Flavor f = flavorFor(h, flavor);
            all.add(new Rendered(h, f, renderer.render(h, inv, f)));
        }
        PrintWriter stdout = spec.commandLine().getOut();
        if (out != null) {
            for (Rendered r : all) {
                Path file = out.resolve(r.host().name() + ".conf");
                try {
                    AtomicWrite.write(file, r.text());
                } catch (java.io.IOException e) {
                    throw new RenderException("cannot write " + file + ": " + e.getMessage()
                            + " (give --out a directory you can write to)");
                }
                stdout.println("wrote " + file + separatorSuffix(r));
            }
        } else {
            for (Rendered r : all) {
                if (all.size() > 1) {
                    stdout.println("# --- host" + separatorSuffix(r));
                }
                stdout.print(r.text());
            }
        }
        stdout.flush();
        return Exit.OK.code();
    }

    private static String separatorSuffix(Rendered r) {
        return " " + r.host().name() + " (" + r.host().role().word() + ", " + r.flavor().word() + ") -> "
                + r.host().ntp().confPathFor(r.flavor());
    }

    /** The flavor to render a host with offline: --flavor, else its ntp_flavor, with auto as ntpsec. */
    public static Flavor flavorFor(Host h, Flavor override) {
        return override != null ? override : h.ntp().flavor().orElse(Flavor.NTPSEC);
    }

    private List<Host> select(Inventory inv) {
        if (hosts.isEmpty()) {
            return inv.hosts();
        }
        List<Host> out = new ArrayList<>();
        for (String name : hosts) {
            Host h = inv.host(name).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                    "--host '" + name + "': no such host in " + inv.source() + " (hosts: "
                            + String.join(", ", inv.hosts().stream().map(Host::name).toList()) + ")"));
            if (!out.contains(h)) {
                out.add(h);
            }
        }
        return out;
    }

    /** Accepts exactly the flavors that can be rendered. */
    static final class RenderFlavor implements CommandLine.ITypeConverter<Flavor> {
        @Override
        public Flavor convert(String value) {
            for (Flavor f : Flavor.values()) {
                if (f.word().equals(value)) {
                    return f;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a flavor to render (use "
                    + java.util.Arrays.stream(Flavor.values()).map(Flavor::word).collect(java.util.stream.Collectors.joining(" or "))
                    + ")");
        }
    }
}
