package dev.ntpdeploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Seeds for the fuzz tests, read from the captures the parser tests already use (src/test/resources, provenance in
 * each file's header), so a new capture seeds the fuzzers without a copy. Each file gives its body (without the
 * {@code # } provenance lines) and each block of output between its {@code $ command}, {@code # ---} and
 * {@code [exit status} lines. Used with {@code @MethodSource} before {@code @FuzzTest}: replayed as test cases by
 * {@code mvn test}, handed to libFuzzer as its starting corpus when fuzzing.
 */
public final class FuzzSeeds {

    private FuzzSeeds() {
    }

    /** Every capture under the given test resource directories ("probe", "ntpq-samples"...), as raw bytes. */
    public static Stream<Arguments> captures(String... resourceDirs) {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (String dir : resourceDirs) {
            for (Path file : files(dir)) {
                String text = read(file);
                String name = dir + "/" + file.getFileName();
                put(seeds, name, String.join("\n", text.lines().filter(l -> !l.startsWith("# ")).toList()));
                List<String> block = new ArrayList<>();
                int n = 0;
                for (String line : (text + "\n$ end").split("\n", -1)) {
                    if (line.startsWith("$ ") || line.startsWith("# ") || line.startsWith("[exit status")
                            || line.startsWith("--- ")) {
                        if (!block.isEmpty()) {
                            put(seeds, name + " block " + ++n, String.join("\n", block) + "\n");
                        }
                        block.clear();
                    } else {
                        block.add(line);
                    }
                }
            }
        }
        return seeds.entrySet().stream().map(e -> Arguments.of(Named.of(e.getKey(), e.getValue())));
    }

    /**
     * Every file of a directory of the project (e.g. "inventories"), whole. The project directory is the system
     * property {@code ntpdeploy.projectDir} (set by the build), else the working directory (an IDE's run).
     */
    public static Stream<Arguments> projectFiles(String dir) {
        Path base = Path.of(System.getProperty("ntpdeploy.projectDir", ".")).resolve(dir);
        try (Stream<Path> s = Files.list(base)) {
            return s.filter(Files::isRegularFile).sorted().toList().stream()
                    .map(f -> Arguments.of(Named.of(dir + "/" + f.getFileName(), readBytes(f))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A temporary file for a fuzz test to write each input to (one per JVM), deleted when the JVM exits. */
    public static Path tempFile(String suffix) {
        try {
            Path f = Files.createTempFile("ntpdeploy-fuzz-", suffix);
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(Map<String, byte[]> seeds, String name, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (seeds.values().stream().noneMatch(b -> java.util.Arrays.equals(b, bytes))) {
            seeds.put(name, bytes);
        }
    }

    private static List<Path> files(String resourceDir) {
        URL url = FuzzSeeds.class.getResource("/" + resourceDir);
        if (url == null) {
            throw new IllegalArgumentException("no test resource directory " + resourceDir);
        }
        try (Stream<Path> s = Files.list(Path.of(url.toURI()))) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
