package org.opentrunk.hep;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.function.Function;
import org.opentrunk.core.settings.InvalidSettingException;

/**
 * Where HEP goes (issue 26): {@code OT_HEP_ADDRESS} ({@code host:port}, {@code [v6]:port}; unset =
 * no export), {@code OT_HEP_ID} (capture agent id, default {@value #DEFAULT_CAPTURE_ID}) and
 * {@code OT_HEP_PASSWORD} (the collector's authentication key, optional). A host name is resolved
 * once, here at start: never again, so no SIP or sender thread waits on DNS; one that does not
 * resolve stops the start with the setting's name, like any bad value.
 *
 * @param collector where packets go, or null when the export is off
 * @param captureId the capture agent id (uint32)
 * @param password  authentication key, or null
 */
public record HepSettings(InetSocketAddress collector, int captureId, String password) {

    public static final int DEFAULT_CAPTURE_ID = 2001;
    public static final HepSettings OFF = new HepSettings(null, DEFAULT_CAPTURE_ID, null);
    /** An authentication key longer than this would eat into the message's room. */
    static final int MAX_PASSWORD = 256;

    /** The export is on. */
    public boolean enabled() {
        return collector != null;
    }

    public static HepSettings from(Function<String, String> environment) {
        String address = environment.apply("OT_HEP_ADDRESS");
        if (address == null || address.isBlank()) {
            return OFF;
        }
        InetSocketAddress collector = collector(address.trim());
        int captureId = captureId(environment.apply("OT_HEP_ID"));
        String password = environment.apply("OT_HEP_PASSWORD");
        if (password != null && password.length() > MAX_PASSWORD) {
            throw new InvalidSettingException("OT_HEP_PASSWORD", "(" + password.length() + " characters)",
                    "at most " + MAX_PASSWORD + " characters");
        }
        return new HepSettings(collector, captureId, password == null || password.isEmpty() ? null : password);
    }

    private static InetSocketAddress collector(String value) {
        String expected = "host:port or [IPv6]:port of a HEP collector (port 1-65535), e.g. 192.0.2.10:9060";
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new InvalidSettingException("OT_HEP_ADDRESS", value, expected);
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new InvalidSettingException("OT_HEP_ADDRESS", value, expected);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new InvalidSettingException("OT_HEP_ADDRESS", value, expected);
        }
        if (port < 1 || port > 65_535 || host.isBlank()) {
            throw new InvalidSettingException("OT_HEP_ADDRESS", value, expected);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new InvalidSettingException("OT_HEP_ADDRESS", value, "a host that resolves (" + host + " does not)");
        }
    }

    private static int captureId(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_CAPTURE_ID;
        }
        try {
            long id = Long.parseLong(value.trim());
            if (id >= 0 && id <= 0xFFFF_FFFFL) {
                return (int) id;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new InvalidSettingException("OT_HEP_ID", value, "a whole number from 0 to 4294967295");
    }

    @Override
    public String toString() {
        return enabled() ? "to " + collector.getAddress().getHostAddress() + ":" + collector.getPort()
                + ", capture id " + Integer.toUnsignedString(captureId) + (password == null ? "" : ", with a key") : "off";
    }
}
