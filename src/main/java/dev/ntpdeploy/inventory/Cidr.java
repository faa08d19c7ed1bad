package dev.ntpdeploy.inventory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * A network in CIDR notation, as {@code ntp_allow} takes it (parsed once, when the inventory is read), with the
 * {@code address mask} form ntp.conf's {@code restrict} wants, and whether it covers an address (verify's question
 * when a client gets no replies). Literal addresses only: never resolves a name.
 */
public record Cidr(byte[] network, int prefix) {

    /** Parses "192.168.84.0/24" or "fd00::/64"; empty when it is not a CIDR with host bits zero. */
    public static Optional<Cidr> parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || text.indexOf('/', slash + 1) >= 0) {
            return Optional.empty();
        }
        String addr = text.substring(0, slash);
        String len = text.substring(slash + 1);
        if (!len.matches("\\d{1,3}") || (len.length() > 1 && len.startsWith("0"))) {
            return Optional.empty();
        }
        byte[] bytes = literal(addr);
        if (bytes == null) {
            return Optional.empty();
        }
        int prefix = Integer.parseInt(len);
        if (prefix > bytes.length * 8) {
            return Optional.empty();
        }
        return Optional.of(new Cidr(bytes, prefix));
    }

    /** Empty when the address is a name (unknown without DNS); else whether some network covers it. */
    public static Optional<Boolean> anyContains(List<Cidr> networks, String address) {
        byte[] a = literal(address);
        if (a == null) {
            return Optional.empty();
        }
        return Optional.of(networks.stream().anyMatch(n -> n.contains(a)));
    }

    /** The /24 (IPv4) or /64 (IPv6) around a literal address, as an ntp_allow entry to suggest; empty for a name. */
    public static Optional<Cidr> around(String address) {
        byte[] a = literal(address);
        if (a == null) {
            return Optional.empty();
        }
        Cidr wide = new Cidr(a, a.length == 4 ? 24 : 64);
        return parse(wide.normalized());
    }

    private boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        byte[] m = maskBytes();
        for (int i = 0; i < network.length; i++) {
            if ((network[i] & m[i]) != (address[i] & m[i])) {
                return false;
            }
        }
        return true;
    }

    private static byte[] literal(String addr) {
        try {
            if (Addresses.isIpv4(addr)) {
                return InetAddress.getByName(addr).getAddress(); // literal: no lookup
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return Addresses.ipv6(addr).map(InetAddress::getAddress).orElse(null);
    }

    public boolean isIpv6() {
        return network.length == 16;
    }

    /** True when the address has bits set beyond the prefix (192.168.84.5/24). */
    public boolean hasHostBits() {
        byte[] m = maskBytes();
        for (int i = 0; i < network.length; i++) {
            if ((network[i] & ~m[i]) != 0) {
                return true;
            }
        }
        return false;
    }

    /** This network with host bits cleared, as text ("192.168.84.0/24"), for a did-you-mean. */
    public String normalized() {
        byte[] m = maskBytes();
        byte[] n = network.clone();
        for (int i = 0; i < n.length; i++) {
            n[i] &= m[i];
        }
        return text(n) + "/" + prefix;
    }

    public String networkText() {
        return text(network);
    }

    public String maskText() {
        return text(maskBytes());
    }

    private byte[] maskBytes() {
        byte[] m = new byte[network.length];
        for (int bit = 0; bit < prefix; bit++) {
            m[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        return m;
    }

    private static String text(byte[] b) {
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        return Addresses.ipv6Text(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        return networkText() + "/" + prefix;
    }
}
