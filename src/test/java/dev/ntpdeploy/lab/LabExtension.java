package dev.ntpdeploy.lab;

import dev.ntpdeploy.transport.ExecResult;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * JUnit 5 extension that brings the lab up once per test JVM and injects it as a {@link Lab} parameter.
 *
 * <pre>{@code
 * @ExtendWith(LabExtension.class)
 * class ApplyIT {
 *     @Test void pushesConfig(Lab lab) { ... lab.inventory() ... lab.ssh(lab.master(), "ntpq -pn") ... }
 * }
 * }</pre>
 *
 * <p>On first use it runs {@code lab/prereqs} and {@code lab/fleet up N} (N = system property {@code
 * ntpdeploy.lab.hosts} or environment {@code NTPDEPLOY_LAB_HOSTS}, default 5; {@code LAB_ID} from the
 * environment selects which lab) and {@code lab/fleet down} at the end of the run, unless {@code
 * NTPDEPLOY_LAB_KEEP=1} (then the lab stays up for inspection). A class annotated {@link LabShape} gets a
 * lab of that shape: the current lab goes down and that one comes up (one lab at a time per LAB_ID;
 * {@link LabShapeOrder} keeps the changes to one per shape). Where the machine cannot host the lab (not
 * Linux, not root, no iproute2) every test asking for it fails with the reason and how to run the ITs:
 * never a silent skip.
 */
public final class LabExtension implements ParameterResolver, TestExecutionExceptionHandler {

    /** How much of each host's daemon log a failed test prints. */
    static final int FAILURE_LOG_LINES = 20;

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LabExtension.class);
    private static final Duration PREREQS_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration DOWN_TIMEOUT = Duration.ofMinutes(2);

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        return pc.getParameter().getType() == Lab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        Labs labs = ec.getRoot().getStore(NS).getOrComputeIfAbsent(Labs.class, k -> new Labs(), Labs.class);
        return labs.acquire(Shape.of(ec.getTestClass().flatMap(LabExtension::shapeOf).orElse(null), defaultSize()));
    }

    /**
     * A failed test prints the lab's state (fleet status, each host's peers and its daemon's last log lines)
     * before anything cleans up after it, so the failure can be understood from the CI log alone; then fails
     * as it was.
     */
    @Override
    public void handleTestExecutionException(ExtensionContext ec, Throwable failure) throws Throwable {
        Labs labs = ec.getRoot().getStore(NS).get(Labs.class, Labs.class);
        Lab lab = labs == null ? null : labs.current();
        if (lab != null) {
            String report;
            try {
                report = lab.stateReport(FAILURE_LOG_LINES);
            } catch (RuntimeException e) {
                report = "(cannot collect the lab's state: " + e + ")";
            }
            System.out.println("==== " + ec.getDisplayName() + " failed (" + failure.getClass().getSimpleName()
                    + "); lab state now:\n" + report + "==== end of lab state");
            System.out.flush();
        }
        throw failure;
    }

    /** The {@link LabShape} of a test class or of a class enclosing it (for {@code @Nested} classes). */
    private static Optional<LabShape> shapeOf(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            LabShape s = k.getAnnotation(LabShape.class);
            if (s != null) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static int defaultSize() {
        String size = System.getProperty("ntpdeploy.lab.hosts", System.getenv().getOrDefault("NTPDEPLOY_LAB_HOSTS", "5"));
        try {
            return Integer.parseInt(size.trim());
        } catch (NumberFormatException e) {
            throw new ParameterResolutionException("ntpdeploy.lab.hosts / NTPDEPLOY_LAB_HOSTS must be a number, got '"
                    + size + "'");
        }
    }

    /** A lab shape as {@code lab/fleet up} arguments. */
    record Shape(List<String> fleetArgs) {

        static Shape of(LabShape s, int defaultSize) {
            List<String> args = new ArrayList<>(List.of("up", String.valueOf(s == null || s.hosts() == 0 ? defaultSize : s.hosts())));
            if (s != null) {
                option(args, "--chrony", s.chrony());
                option(args, "--dual", s.dual());
                option(args, "--timesyncd", s.timesyncd());
            }
            return new Shape(List.copyOf(args));
        }

        private static void option(List<String> args, String name, int[] hosts) {
            if (hosts.length > 0) {
                args.add(name);
                args.add(Arrays.stream(hosts).sorted().mapToObj(String::valueOf).collect(Collectors.joining(",")));
            }
        }

        int hosts() {
            return Integer.parseInt(fleetArgs.get(1));
        }
    }

    /** Root-store value: the one lab up under this run's LAB_ID; closed by JUnit when the run ends (down). */
    static final class Labs implements AutoCloseable {
        private final Path projectDir = Path.of(System.getProperty("ntpdeploy.projectDir", System.getProperty("user.dir")));
        private final String labId = System.getenv().getOrDefault("LAB_ID", "");
        private String prereqsFailure;
        private boolean prereqsDone;
        private Shape shape;
        private Lab lab;
        private String failure;

        /** The lab up now, or null. */
        synchronized Lab current() {
            return lab;
        }

        synchronized Lab acquire(Shape wanted) {
            if (!wanted.equals(shape)) {
                down();
                shape = wanted;
                failure = null;
                try {
                    lab = up(wanted);
                } catch (IllegalStateException e) {
                    failure = e.getMessage();
                }
            }
            if (failure != null) {
                throw new ParameterResolutionException(failure);
            }
            return lab;
        }

        private Lab up(Shape wanted) {
            String why = cannotHostLab(projectDir);
            if (why != null) {
                throw new IllegalStateException("The lab integration tests cannot run here: " + why + ". They need"
                        + " Linux and root: run `mvn -B verify` as root (it installs the lab prerequisites itself;"
                        + " through sudo, keep your LAB_ID: `sudo --preserve-env=LAB_ID mvn -B verify`) or `bash"
                        + " .ci/run`; `mvn -B test` runs the unit tests only.");
            }
            if (!prereqsDone) {
                // The README's one test command must work on a fresh machine: install what the lab needs
                // first (idempotent and silent when everything is present).
                ExecResult prereqs = Lab.runProcess(
                        new ProcessBuilder(projectDir.resolve("lab/prereqs").toString()).directory(projectDir.toFile()),
                        PREREQS_TIMEOUT);
                prereqsDone = true;
                if (prereqs.exitCode() != 0) {
                    prereqsFailure = "lab/prereqs failed (exit " + prereqs.exitCode() + "):\n" + prereqs.stdout()
                            + prereqs.stderr();
                }
            }
            if (prereqsFailure != null) {
                throw new IllegalStateException(prereqsFailure);
            }
            // lab/fleet waits 60 s + 1 s per host for the hosts; give it that and time for the rest
            Duration upTimeout = Duration.ofSeconds(180 + 2L * wanted.hosts());
            ExecResult up = Lab.runProcess(command(projectDir, labId, wanted.fleetArgs().toArray(String[]::new)), upTimeout);
            if (up.exitCode() != 0) {
                throw new IllegalStateException("lab/fleet " + String.join(" ", wanted.fleetArgs()) + " failed (exit "
                        + up.exitCode() + "):\n" + up.stdout() + up.stderr());
            }
            ExecResult env = Lab.runProcess(command(projectDir, labId, "env"), Duration.ofSeconds(30));
            if (env.exitCode() != 0) {
                throw new IllegalStateException("lab/fleet env failed: " + env.stderr());
            }
            Map<String, String> vars = new LinkedHashMap<>();
            for (String line : env.stdout().split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    vars.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return new Lab(projectDir, vars, up.stderr().strip());
        }

        private void down() {
            if (lab == null) {
                return;
            }
            lab = null;
            ExecResult r = Lab.runProcess(command(projectDir, labId, "down"), DOWN_TIMEOUT);
            if (r.exitCode() != 0) {
                throw new IllegalStateException("lab/fleet down failed (exit " + r.exitCode() + "):\n" + r.stderr());
            }
        }

        @Override
        public synchronized void close() {
            if (!"1".equals(System.getenv("NTPDEPLOY_LAB_KEEP"))) {
                down();
            }
        }
    }

    /** Why this machine cannot host the lab, or null when it can. */
    static String cannotHostLab(Path projectDir) {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "this is " + System.getProperty("os.name") + ", the lab needs Linux network namespaces";
        }
        try {
            String status = Files.readString(Path.of("/proc/self/status"));
            if (!status.contains("\nUid:\t0\t")) {
                return "the tests do not run as root (the lab creates network namespaces, a bridge and mounts)";
            }
        } catch (IOException e) {
            return "cannot read /proc/self/status (" + e.getMessage() + ")";
        }
        if (!Files.isExecutable(projectDir.resolve("lab/fleet"))) {
            return "no executable lab/fleet under " + projectDir;
        }
        if (!Files.isExecutable(projectDir.resolve("lab/prereqs"))) {
            return "no executable lab/prereqs under " + projectDir;
        }
        return null;
    }

    static ProcessBuilder command(Path projectDir, String labId, String... args) {
        List<String> argv = new ArrayList<>(List.of(projectDir.resolve("lab/fleet").toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(projectDir.toFile());
        if (labId.isEmpty()) {
            pb.environment().remove("LAB_ID");
        } else {
            pb.environment().put("LAB_ID", labId);
        }
        return pb;
    }
}
