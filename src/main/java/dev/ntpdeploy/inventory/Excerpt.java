package dev.ntpdeploy.inventory;

import java.util.Locale;

/**
 * How an inventory value appears in a message: quoted, cut to {@value #SHOWN} characters with its full
 * length, and with control and invisible characters written as escapes. Every message that echoes a
 * key or value goes through here, so a multi-megabyte value or a bidi override can never flood or
 * disguise an error line.
 */
public final class Excerpt {

    /** Enough to recognize any real value (a DNS name is at most 253, but nobody reads past the first 80). */
    static final int SHOWN = 80;

    private Excerpt() {
    }

    /** {@code 'value'}, or {@code 'first 79 characters…' (N characters)} when it is longer than 80. */
    public static String quote(String s) {
        int length = s.codePointCount(0, s.length());
        if (length <= SHOWN) {
            return "'" + escape(s) + "'";
        }
        String head = s.substring(0, s.offsetByCodePoints(0, SHOWN - 1));
        return "'" + escape(head) + "…' (" + count(length) + " characters)";
    }

    /** Unquoted and cut to {@code max} characters with an ellipsis: for names in a chain and other tools' messages. */
    static String plain(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) {
            return escape(s);
        }
        return escape(s.substring(0, s.offsetByCodePoints(0, max - 1))) + "…";
    }

    static String plain(String s) {
        return plain(s, SHOWN);
    }

    /** A count as messages write it: 4,194,304. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean hidden = Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    || Character.getType(c) == Character.FORMAT;
            if (hidden && out == null) {
                out = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (out != null) {
                if (hidden) {
                    out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }
}
