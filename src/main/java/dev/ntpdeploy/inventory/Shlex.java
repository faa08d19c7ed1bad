package dev.ntpdeploy.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code shlex.split(line, comments=True)} (POSIX mode), which Ansible's INI plugin uses to cut a
 * host line into the host and its {@code key=value} words: whitespace separates, single quotes keep
 * everything, double quotes keep everything but {@code \"} and {@code \\}, a backslash outside quotes
 * escapes the next character, and {@code #} starts a comment even inside a word ({@code a=b#c} is {@code a=b}).
 */
final class Shlex {

    /** A word and the column (1-based) where it starts. */
    record Token(String text, int column) {
    }

    private Shlex() {
    }

    /** @throws IllegalArgumentException an unclosed quote or a trailing backslash, as shlex raises */
    static List<Token> split(String line) {
        List<Token> out = new ArrayList<>();
        StringBuilder word = null;
        int start = 0;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                if (word != null) {
                    out.add(new Token(word.toString(), start + 1));
                    word = null;
                }
                i++;
                continue;
            }
            if (c == '#') {
                break;
            }
            if (word == null) {
                word = new StringBuilder();
                start = i;
            }
            if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw new IllegalArgumentException("no escaped character after the last backslash");
                }
                word.append(line.charAt(i + 1));
                i += 2;
            } else if (c == '\'' || c == '"') {
                int j = i + 1;
                while (true) {
                    if (j >= line.length()) {
                        throw new IllegalArgumentException("no closing quotation");
                    }
                    char d = line.charAt(j);
                    if (d == c) {
                        break;
                    }
                    if (c == '"' && d == '\\' && j + 1 < line.length()
                            && (line.charAt(j + 1) == '"' || line.charAt(j + 1) == '\\')) {
                        word.append(line.charAt(j + 1));
                        j += 2;
                        continue;
                    }
                    word.append(d);
                    j++;
                }
                i = j + 1;
            } else {
                word.append(c);
                i++;
            }
        }
        if (word != null) {
            out.add(new Token(word.toString(), start + 1));
        }
        return out;
    }
}
