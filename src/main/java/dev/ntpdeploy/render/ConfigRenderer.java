package dev.ntpdeploy.render;

import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Inventory;
import java.nio.file.Path;

/** Renders the ntp.conf a host must have from the role's Mustache template. (Stub: foundation work.) */
public final class ConfigRenderer {

    public ConfigRenderer(Path templatesDir) {
    }

    /**
     * @param flavor NTP or NTPSEC (never AUTO: callers resolve it first, from the host or --flavor)
     * @throws RenderException naming the template file and line
     */
    public String render(Host host, Inventory inventory, Flavor flavor) throws RenderException {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
