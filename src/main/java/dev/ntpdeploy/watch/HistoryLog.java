package dev.ntpdeploy.watch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Appends each round as one JSON line to a file, size-capped: when a line would take the file past
 * {@code maxBytes}, FILE becomes FILE.1 (FILE.1 -> FILE.2 ... up to {@code keep} old files) and a new FILE starts.
 * A line is never split across files.
 */
public final class HistoryLog implements RoundListener {

    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
    public static final int MAX_KEEP = 9;

    private final Path file;
    private final long maxBytes;
    private final int keep;

    public HistoryLog(Path file, long maxBytes, int keep) {
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("--history-max-bytes must be at least 1024, got " + maxBytes);
        }
        if (keep < 1 || keep > MAX_KEEP) {
            throw new IllegalArgumentException("--history-keep must be 1.." + MAX_KEEP + ", got " + keep);
        }
        this.file = file.toAbsolutePath();
        this.maxBytes = maxBytes;
        this.keep = keep;
    }

    @Override
    public void onRound(RoundResult round) throws IOException {
        append(RoundJson.line(round));
    }

    void append(String line) throws IOException {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        long size = sizeOf(file);
        if (size > 0 && size + bytes.length > maxBytes) {
            rotate();
        }
        Path dir = file.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        // one write with O_APPEND: a reader (tail -f, jq) never sees half a line
        Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    private void rotate() throws IOException {
        Files.deleteIfExists(numbered(keep));
        for (int i = keep - 1; i >= 1; i--) {
            if (Files.exists(numbered(i))) {
                Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
    }

    private Path numbered(int i) {
        return file.resolveSibling(file.getFileName() + "." + i);
    }

    private static long sizeOf(Path p) throws IOException {
        try {
            return Files.size(p);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }
}
