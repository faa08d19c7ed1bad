package dev.ntpdeploy.inventory;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * YAML 1.1 typing of plain (unquoted) scalars exactly as Ansible's loader (PyYAML's resolver and
 * SafeConstructor) types them, so a user variable reaches templates and {@code inventory --list}
 * with the value Ansible would give it: {@code yes} is true, {@code 0644} is 420, {@code 0x1F} is 31,
 * {@code 1:30} is 90, {@code 1e3} stays a string (PyYAML's float needs a dot), {@code y} stays a string.
 * The patterns are PyYAML 6's (yaml/resolver.py), tried in its order: bool, float, int, null, timestamp.
 * Quoted and block scalars are always strings; the YAML reader only asks here about plain ones.
 */
final class Yaml11 {

    private static final Pattern BOOL = Pattern.compile(
            "yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
    private static final Pattern FLOAT = Pattern.compile(
            "[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
            + "|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
            + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
            + "|[-+]?\\.(?:inf|Inf|INF)"
            + "|\\.(?:nan|NaN|NAN)");
    private static final Pattern INT = Pattern.compile(
            "[-+]?0b[0-1_]+"
            + "|[-+]?0[0-7_]+"
            + "|[-+]?(?:0|[1-9][0-9_]*)"
            + "|[-+]?0x[0-9a-fA-F_]+"
            + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");
    private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
    /** PyYAML makes a date of this; Ansible prints it back as the same text. Datetimes stay strings here. */
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    private Yaml11() {
    }

    /** The type PyYAML gives this plain scalar. */
    static YamlNode.Scalar.Type resolve(String plain) {
        if (BOOL.matcher(plain).matches()) {
            return YamlNode.Scalar.Type.BOOL;
        }
        if (FLOAT.matcher(plain).matches()) {
            return YamlNode.Scalar.Type.FLOAT;
        }
        if (INT.matcher(plain).matches()) {
            return YamlNode.Scalar.Type.INT;
        }
        if (NULL.matcher(plain).matches()) {
            return YamlNode.Scalar.Type.NULL;
        }
        return YamlNode.Scalar.Type.STRING; // a date (DATE) reads back as its own text
    }

    /** The value PyYAML constructs for a scalar of this type: Boolean, Long or BigInteger, Double, String or null. */
    static Object value(String text, YamlNode.Scalar.Type type) {
        return switch (type) {
            case NULL -> null;
            case BOOL -> bool(text);
            case INT -> integer(text);
            case FLOAT -> floating(text);
            case STRING -> text;
        };
    }

    private static Object bool(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "yes", "true", "on" -> Boolean.TRUE;
            case "no", "false", "off" -> Boolean.FALSE;
            default -> text; // a BOOL from elsewhere (Python's True/False) is written true/false
        };
    }

    /** PyYAML's construct_yaml_int; a text that is not an int (never from the resolver) stays text. */
    static Object integer(String text) {
        String v = text.replace("_", "");
        if (v.isEmpty()) {
            return text;
        }
        int sign = v.charAt(0) == '-' ? -1 : 1;
        if (v.charAt(0) == '+' || v.charAt(0) == '-') {
            v = v.substring(1);
        }
        try {
            BigInteger n;
            if (v.equals("0")) {
                n = BigInteger.ZERO;
            } else if (v.startsWith("0b")) {
                n = new BigInteger(v.substring(2), 2);
            } else if (v.startsWith("0x")) {
                n = new BigInteger(v.substring(2), 16);
            } else if (v.charAt(0) == '0') {
                n = new BigInteger(v, 8);
            } else if (v.contains(":")) {
                n = BigInteger.ZERO;
                for (String part : v.split(":")) {
                    n = n.multiply(BigInteger.valueOf(60)).add(new BigInteger(part));
                }
            } else {
                n = new BigInteger(v);
            }
            return narrow(sign < 0 ? n.negate() : n);
        } catch (NumberFormatException e) {
            return text;
        }
    }

    /** A Long where it fits (most values), else the BigInteger Python would hold. */
    static Object narrow(BigInteger n) {
        return n.bitLength() < 64 ? (Object) n.longValue() : n;
    }

    /** PyYAML's construct_yaml_float. */
    private static Object floating(String text) {
        String v = text.replace("_", "").toLowerCase(java.util.Locale.ROOT);
        if (v.isEmpty()) {
            return text;
        }
        double sign = v.charAt(0) == '-' ? -1 : 1;
        if (v.charAt(0) == '+' || v.charAt(0) == '-') {
            v = v.substring(1);
        }
        try {
            if (v.equals(".inf")) {
                return sign * Double.POSITIVE_INFINITY;
            }
            if (v.equals(".nan")) {
                return Double.NaN;
            }
            if (v.contains(":")) {
                double d = 0;
                for (String part : v.split(":")) {
                    d = d * 60 + Double.parseDouble(part);
                }
                return sign * d;
            }
            return sign * Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return text;
        }
    }
}
