package dev.ntpdeploy.verify;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/** Whether a master's {@code ntp_allow} CIDRs cover a client address. Literal addresses only: never resolves names. */
final class AllowList {

    private AllowList() {
    }

    /** Empty when the address is a name (unknown without DNS); else whether some entry covers it. */
    static Optional<Boolean> covers(List<String> cidrs, String address) {
        Optional<byte[]> addr = literal(address);
        if (addr.isEmpty()) {
            return Optional.empty();
        }
        for (String cidr : cidrs) {
            String[] parts = cidr.strip().split("/", 2);
            Optional<byte[]> net = literal(parts[0]);
            if (net.isEmpty() || net.get().length != addr.get().length) {
                continue;
            }
            int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : net.get().length * 8;
            if (sameNetwork(net.get(), addr.get(), bits)) {
                return Optional.of(true);
            }
        }
        return Optional.of(false);
    }

    /** The /24 (IPv4) or /64 (IPv6) around a literal address, as an ntp_allow entry to suggest. */
    static Optional<String> suggestion(String address) {
        return literal(address).map(b -> {
            try {
                if (b.length == 4) {
                    b[3] = 0;
                    return InetAddress.getByAddress(b).getHostAddress() + "/24";
                }
                for (int i = 8; i < 16; i++) {
                    b[i] = 0;
                }
                return InetAddress.getByAddress(b).getHostAddress() + "/64";
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static boolean sameNetwork(byte[] net, byte[] addr, int bits) {
        for (int i = 0; i < net.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - 8 * i));
            int mask = keep == 0 ? 0 : (0xff << (8 - keep)) & 0xff;
            if ((net[i] & mask) != (addr[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static Optional<byte[]> literal(String s) {
        if (s == null || !(s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || s.matches("[0-9A-Fa-f:.]+") && s.contains(":"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(s).getAddress()); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
