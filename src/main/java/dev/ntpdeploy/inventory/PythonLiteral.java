package dev.ntpdeploy.inventory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Python's {@code ast.literal_eval}, for the values of INI inventories: Ansible's INI plugin passes every
 * {@code key=value} value through it and keeps the text when it is not a literal ({@code 80} is an int,
 * {@code '[1, 2]'} a list, {@code yes} and {@code 0644} stay strings: {@code 0644} is a syntax error in
 * Python 3). Supported: strings (all quote forms, prefixes r/u/b, escapes, implicit concatenation),
 * ints (0x/0o/0b, underscores), floats, True/False/None, unary +/-, lists, tuples and dicts. Sets and
 * complex numbers are literals Ansible cannot print either; they are refused by the caller.
 */
final class PythonLiteral {

    /** A value literal_eval produced that ntpdeploy cannot hold (a set, a complex number). */
    static final class Unsupported extends Exception {
        Unsupported(String what) {
            super(what, null, false, false);
        }
    }

    private static final class NotLiteral extends Exception {
        NotLiteral() {
            super(null, null, false, false);
        }
    }

    private final String s;
    private int i;

    private PythonLiteral(String s) {
        this.s = s;
    }

    /**
     * The value literal_eval gives: String, Long/BigInteger, Double, Boolean, null (Python None),
     * List or Map; empty when the text is not a literal (Ansible keeps it as a string).
     */
    static Optional<Object[]> eval(String text) throws Unsupported {
        PythonLiteral p = new PythonLiteral(text);
        try {
            p.skipSpace();
            Object v = p.expression();
            p.skipSpace();
            if (p.i < p.s.length() && p.s.charAt(p.i) == '#') {
                p.i = p.s.length(); // a comment ends the expression, as in Python source
            }
            if (p.i != p.s.length()) {
                return Optional.empty();
            }
            return Optional.of(new Object[] {v});
        } catch (NotLiteral e) {
            return Optional.empty();
        } catch (StackOverflowError e) {
            return Optional.empty(); // Python fails too ("too many nested parentheses")
        }
    }

    private void skipSpace() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
    }

    private boolean eat(char c) {
        skipSpace();
        if (i < s.length() && s.charAt(i) == c) {
            i++;
            return true;
        }
        return false;
    }

    private Object expression() throws NotLiteral, Unsupported {
        skipSpace();
        if (i >= s.length()) {
            throw new NotLiteral();
        }
        char c = s.charAt(i);
        if (c == '+' || c == '-') {
            i++;
            Object operand = expression();
            if (operand instanceof Long l) {
                return c == '-' ? Yaml11.narrow(BigInteger.valueOf(l).negate()) : l;
            }
            if (operand instanceof BigInteger b) {
                return c == '-' ? Yaml11.narrow(b.negate()) : b;
            }
            if (operand instanceof Double d) {
                return c == '-' ? -d : d;
            }
            throw new NotLiteral(); // -'x', -True, -[1]: not literals
        }
        if (c == '[') {
            i++;
            return sequence(']');
        }
        if (c == '(') {
            i++;
            skipSpace();
            if (eat(')')) {
                return List.of();
            }
            Object first = expression();
            if (eat(')')) {
                return first; // parentheses, not a tuple
            }
            if (!eat(',')) {
                throw new NotLiteral();
            }
            List<Object> rest = sequence(')');
            List<Object> all = new ArrayList<>();
            all.add(first);
            all.addAll(rest);
            return all;
        }
        if (c == '{') {
            i++;
            return dict();
        }
        if (c == '"' || c == '\'') {
            return strings();
        }
        if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
            return number();
        }
        if (Character.isLetter(c) || c == '_') {
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            String word = s.substring(start, i);
            if (i < s.length() && (s.charAt(i) == '"' || s.charAt(i) == '\'') && word.matches("(?i)r|u|b|br|rb")) {
                i = start;
                return strings();
            }
            return switch (word) {
                case "True" -> Boolean.TRUE;
                case "False" -> Boolean.FALSE;
                case "None" -> null;
                default -> throw new NotLiteral();
            };
        }
        throw new NotLiteral();
    }

    /** Items up to the closing bracket; a trailing comma is allowed. */
    private List<Object> sequence(char close) throws NotLiteral, Unsupported {
        List<Object> out = new ArrayList<>();
        while (true) {
            if (eat(close)) {
                return out;
            }
            out.add(expression());
            if (!eat(',')) {
                if (eat(close)) {
                    return out;
                }
                throw new NotLiteral();
            }
        }
    }

    private Object dict() throws NotLiteral, Unsupported {
        Map<String, Object> out = new LinkedHashMap<>();
        if (eat('}')) {
            return out;
        }
        Object firstKey = expression();
        if (!eat(':')) {
            sequenceRest(firstKey);
            throw new Unsupported("a Python set");
        }
        Object key = firstKey;
        while (true) {
            if (key instanceof List || key instanceof Map) {
                throw new NotLiteral(); // unhashable: literal_eval raises TypeError, Ansible keeps the text
            }
            out.put(keyText(key), expression());
            if (!eat(',')) {
                if (eat('}')) {
                    return out;
                }
                throw new NotLiteral();
            }
            if (eat('}')) {
                return out;
            }
            key = expression();
            if (!eat(':')) {
                throw new NotLiteral();
            }
        }
    }

    private void sequenceRest(Object first) throws NotLiteral, Unsupported {
        if (eat('}')) {
            return;
        }
        if (!eat(',')) {
            throw new NotLiteral();
        }
        sequence('}');
    }

    /** A dict key as JSON writes it. */
    private static String keyText(Object key) {
        if (key instanceof Boolean b) {
            return b ? "true" : "false";
        }
        return key == null ? "null" : key.toString();
    }

    private Object number() throws NotLiteral, Unsupported {
        int start = i;
        if (s.startsWith("0x", i) || s.startsWith("0X", i) || s.startsWith("0o", i) || s.startsWith("0O", i)
                || s.startsWith("0b", i) || s.startsWith("0B", i)) {
            char kind = Character.toLowerCase(s.charAt(i + 1));
            i += 2;
            int digits = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            String body = s.substring(digits, i).replace("_", "");
            try {
                return Yaml11.narrow(new BigInteger(body, kind == 'x' ? 16 : kind == 'o' ? 8 : 2));
            } catch (NumberFormatException e) {
                throw new NotLiteral();
            }
        }
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '_')) {
            i++;
        }
        boolean isFloat = false;
        if (i < s.length() && s.charAt(i) == '.') {
            isFloat = true;
            i++;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int mark = i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            if (i < s.length() && Character.isDigit(s.charAt(i))) {
                isFloat = true;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                    i++;
                }
            } else {
                i = mark;
                throw new NotLiteral();
            }
        }
        if (i < s.length() && (s.charAt(i) == 'j' || s.charAt(i) == 'J')) {
            throw new Unsupported("a Python complex number");
        }
        if (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
            throw new NotLiteral(); // 12abc
        }
        String text = s.substring(start, i);
        if (text.contains("__") || text.endsWith("_") || text.contains("_.") || text.contains("._")) {
            throw new NotLiteral();
        }
        text = text.replace("_", "");
        if (isFloat) {
            return Double.parseDouble(text);
        }
        if (text.length() > 1 && text.charAt(0) == '0' && !text.chars().allMatch(ch -> ch == '0')) {
            throw new NotLiteral(); // 0644: "leading zeros in decimal integer literals are not permitted"
        }
        return Yaml11.narrow(new BigInteger(text));
    }

    /** One or more adjacent string literals, concatenated as Python does. */
    private Object strings() throws NotLiteral, Unsupported {
        StringBuilder out = new StringBuilder();
        do {
            out.append(string());
            skipSpace();
        } while (i < s.length() && (s.charAt(i) == '"' || s.charAt(i) == '\'' || startsPrefixedString()));
        return out.toString();
    }

    private boolean startsPrefixedString() {
        int j = i;
        while (j < s.length() && j - i < 2 && "rRuUbB".indexOf(s.charAt(j)) >= 0) {
            j++;
        }
        return j > i && j < s.length() && (s.charAt(j) == '"' || s.charAt(j) == '\'');
    }

    private String string() throws NotLiteral {
        boolean raw = false;
        while (i < s.length() && "rRuUbB".indexOf(s.charAt(i)) >= 0) {
            raw |= Character.toLowerCase(s.charAt(i)) == 'r';
            i++;
        }
        char q = s.charAt(i);
        boolean triple = s.startsWith(String.valueOf(q).repeat(3), i);
        i += triple ? 3 : 1;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw new NotLiteral();
            }
            char c = s.charAt(i);
            if (triple ? s.startsWith(String.valueOf(q).repeat(3), i) : c == q) {
                i += triple ? 3 : 1;
                return out.toString();
            }
            if (c == '\\' && i + 1 < s.length()) {
                char e = s.charAt(i + 1);
                if (raw) {
                    out.append(c).append(e);
                    i += 2;
                    continue;
                }
                i += 2;
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                        int start = i - 1;
                        while (i < s.length() && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '7') {
                            i++;
                        }
                        out.append((char) Integer.parseInt(s.substring(start, i), 8));
                    }
                    case 'x' -> out.append((char) hex(2));
                    case 'u' -> out.append((char) hex(4));
                    case 'U' -> out.appendCodePoint(hex(8));
                    case 'a' -> out.append('\u0007');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'v' -> out.append('\u000B');
                    case '\\', '\'', '"' -> out.append(e);
                    case '\n' -> { } // a line continuation
                    default -> out.append('\\').append(e);
                }
                continue;
            }
            if (!triple && c == '\n') {
                throw new NotLiteral();
            }
            out.append(c);
            i++;
        }
    }

    private int hex(int n) throws NotLiteral {
        if (i + n > s.length()) {
            throw new NotLiteral();
        }
        try {
            int v = Integer.parseUnsignedInt(s.substring(i, i + n), 16);
            i += n;
            return v;
        } catch (NumberFormatException e) {
            throw new NotLiteral();
        }
    }
}
