package dev.ntpdeploy.cli;

import dev.ntpdeploy.render.ConfigRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --templates DIR} and where the templates are when it is not given: {@code @Mixin TemplatesOptions templates;}. */
public final class TemplatesOptions {

    /** Set by bin/ntpdeploy to the repository (installation) directory. */
    public static final String HOME_PROPERTY = "ntpdeploy.home";

    @Option(names = "--templates", paramLabel = "DIR",
            description = "Directory holding ntp.conf.master.mustache and ntp.conf.client.mustache"
                    + " (default: the templates/ directory of the ntpdeploy installation).")
    Path templates;

    /** --templates, else the installation's templates/, else ./templates. */
    public Path templatesDir() {
        if (templates != null) {
            return templates;
        }
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null) {
            return Path.of(home, "templates");
        }
        Path fromJar = installDirFromJar();
        if (fromJar != null && Files.isDirectory(fromJar.resolve("templates"))) {
            return fromJar.resolve("templates");
        }
        return Path.of("templates");
    }

    public ConfigRenderer renderer() {
        return new ConfigRenderer(templatesDir());
    }

    /** target/ntpdeploy.jar -> the repository directory; null when not run from a jar. */
    private static Path installDirFromJar() {
        try {
            var src = TemplatesOptions.class.getProtectionDomain().getCodeSource();
            if (src == null) {
                return null;
            }
            Path jar = Path.of(src.getLocation().toURI());
            if (!Files.isRegularFile(jar) || jar.getParent() == null || jar.getParent().getParent() == null) {
                return null;
            }
            return jar.getParent().getParent();
        } catch (java.net.URISyntaxException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }
}
