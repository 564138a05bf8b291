package org.opentrunk.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The kernel's socket tables (/proc/net/udp, /proc/net/tcp): whether a process of the test has
 * its socket open yet, without touching the port (a probe bind could take it from the process).
 */
final class SocketTable {

    private SocketTable() {
    }

    /** An IPv4 address and port as the tables write them: address bytes little-endian, in hex, then the port. */
    static String hex(String address, int port) {
        try {
            byte[] b = InetAddress.getByName(address).getAddress();
            return String.format(Locale.ROOT, "%02X%02X%02X%02X:%04X", b[3], b[2], b[1], b[0], port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    /**
     * Whether {@code table} (udp or tcp) or its IPv6 twin has a socket bound to {@code local} (hex
     * form), or to the wildcard on its port. A dual-stack socket (Java's default) is listed in the
     * IPv6 table with the IPv4-mapped address.
     */
    static boolean lists(Path table, String local) {
        String port = local.substring(local.indexOf(':'));
        String ipv4 = local.substring(0, local.indexOf(':'));
        Path ipv6Table = table.resolveSibling(table.getFileName() + "6");
        return lists(table, List.of(local, "00000000" + port))
                || (Files.exists(ipv6Table) && lists(ipv6Table, List.of("0000000000000000FFFF0000" + ipv4 + port,
                        "00000000000000000000000000000000" + port)));
    }

    /** TCP's LISTEN state in the tables; a connection lingering in TIME_WAIT on the port is not a server. */
    private static final String TCP_LISTEN = "0A";

    private static boolean lists(Path table, List<String> addresses) {
        boolean tcp = table.getFileName().toString().startsWith("tcp");
        try {
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 3 && addresses.contains(fields[1]) && (!tcp || TCP_LISTEN.equals(fields[3]))) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
