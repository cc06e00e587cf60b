package dev.claudedevc.policy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/** IP literals and ranges, compared as bytes; never a DNS lookup. */
final class Addresses {

    private Addresses() {
    }

    /** The bytes of an IP literal (only strings of hex digits, dots and colons are tried, so never a lookup). */
    static Optional<byte[]> literal(String text) {
        if (!text.matches("[0-9a-fA-F.:]+") || !(text.contains(":") || text.matches("[0-9.]+"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code cidr} ({@code address/prefix}) contains the address; false across families. */
    static boolean contains(String cidr, byte[] address) {
        int slash = cidr.indexOf('/');
        Optional<byte[]> net = literal(cidr.substring(0, slash));
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        if (net.isEmpty() || net.get().length != address.length) {
            return false;
        }
        int bits = address.length * 8;
        BigInteger mask = prefix == 0 ? BigInteger.ZERO
                : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftRight(bits - prefix)
                        .shiftLeft(bits - prefix);
        return new BigInteger(1, net.get()).and(mask).equals(new BigInteger(1, address).and(mask));
    }

    static boolean same(String a, String b) {
        Optional<byte[]> x = literal(a);
        Optional<byte[]> y = literal(b);
        return x.isPresent() && y.isPresent() && Arrays.equals(x.get(), y.get());
    }
}
