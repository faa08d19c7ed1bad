package dev.ntpdeploy.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads an inventory file as text before YAML sees it: at most {@link Limits#FILE_BYTES}, strict UTF-8,
 * and only characters YAML allows. Done here rather than left to the YAML parser because the parser
 * reports all three at 1:1 with a Java exception's name; here each names the line and column.
 */
final class SourceText {

    private SourceText() {
    }

    static String read(Path file) throws InventoryException {
        byte[] bytes = readBounded(file);
        String text = decode(file, bytes);
        refuseNonYamlCharacters(file, text);
        return text;
    }

    private static byte[] readBounded(Path file) throws InventoryException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(Limits.FILE_BYTES + 1); // never more, whatever the file is (a FIFO, /dev/zero)
        } catch (NoSuchFileException e) {
            throw new InventoryException(file + ": no such file (give the path of a YAML inventory, e.g. inventories/example.yml)");
        } catch (IOException e) {
            throw new InventoryException(file + ": cannot read: " + Excerpt.plain(String.valueOf(e.getMessage())));
        }
        if (bytes.length > Limits.FILE_BYTES) {
            long size;
            try {
                size = Files.size(file); // 0 for a pipe or a device
            } catch (IOException e) {
                size = 0;
            }
            throw Limits.exceeded(file, size >= bytes.length ? "the file is " + Excerpt.count(size) + " bytes"
                    : "the file is more than " + Excerpt.count(Limits.FILE_BYTES) + " bytes", Limits.FILE_BYTES,
                    "bytes (4 MiB)", "is this the right file? a 10,000-host inventory is about 0.5 MB");
        }
        return bytes;
    }

    private static String decode(Path file, byte[] bytes) throws InventoryException {
        if (bytes.length >= 2 && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE)
                || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF))) {
            throw new InventoryException(new SourcePos(file, 1, 1) + ": not UTF-8 text: the file starts with a UTF-16"
                    + " byte order mark (save the file as UTF-8, e.g. iconv -f UTF-16 -t UTF-8)");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        out.flip();
        if (result.isError()) {
            int offset = in.position(); // where the bad sequence starts; everything before it decoded
            throw new InventoryException(position(file, out, out.length()) + ": not UTF-8 text: "
                    + String.format(Locale.ROOT, "byte 0x%02X at offset %s", bytes[offset] & 0xff, Excerpt.count(offset))
                    + " is not valid UTF-8 (save the file as UTF-8, e.g. iconv -f ISO-8859-1 -t UTF-8 if it is Latin-1)");
        }
        return out.toString();
    }

    /** YAML's printable set (YAML 1.1 section 5.1); snakeyaml refuses anything else at 1:1. */
    private static void refuseNonYamlCharacters(Path file, String text) throws InventoryException {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0x7E) || c == 0x85
                    || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
            if (!allowed) {
                throw new InventoryException(position(file, text, i) + ": " + String.format(Locale.ROOT, "U+%04X", c)
                        + " is not allowed in YAML (is this a text file? remove the character)");
            }
            i += Character.charCount(c);
        }
    }

    /** The line and column (in characters, as the YAML parser counts them) of the text's index {@code end}. */
    private static SourcePos position(Path file, CharSequence text, int end) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
                column = 1;
            } else if (!Character.isLowSurrogate(c)) {
                column++;
            }
        }
        return new SourcePos(file, line, column);
    }
}
