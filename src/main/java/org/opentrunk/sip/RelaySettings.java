package org.opentrunk.sip;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.util.Collections;
import java.util.Optional;
import org.opentrunk.core.settings.InvalidSettingException;
import org.opentrunk.core.settings.MediaAnchoringSettings;
import org.opentrunk.core.settings.TrunkSettings;
import org.opentrunk.media.MediaSettings;
import org.opentrunk.media.PortRange;

/**
 * The relay's settings from OpenTrunk's: {@code OT_MEDIA_ADDRESS} when set, else the SIP host when
 * it is an IPv4 address (the address PBXs and carriers already reach OpenTrunk on), else this
 * machine's first non-loopback IPv4 address (a guess on multi-homed or NATed hosts: set it there),
 * else 127.0.0.1.
 */
final class RelaySettings {

    private RelaySettings() {
    }

    static MediaSettings of(TrunkSettings settings) {
        MediaAnchoringSettings media = settings.media();
        InetAddress address = literal(media.address()
                .or(() -> Optional.of(settings.sipHost()).filter(MediaAnchoringSettings::isIpv4Literal))
                .orElseGet(RelaySettings::firstInterfaceAddress));
        return new MediaSettings(address, new PortRange(media.rtpPortFirst(), media.rtpPortLast()),
                media.mediaTimeout(), MediaSettings.DEFAULT_SELECTOR_THREADS, media.keepDigits());
    }

    /**
     * Fails start-up when the relay cannot bind on its address: every anchored call would fail
     * after trying each port of the range.
     */
    static void checkBindable(MediaSettings settings) {
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress(settings.address(), 0));
        } catch (IOException e) {
            throw new InvalidSettingException("OT_MEDIA_ADDRESS", settings.address().getHostAddress(),
                    "an address of this machine (binding a media port on it failed: " + e.getMessage() + ")");
        }
    }

    private static String firstInterfaceAddress() {
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nif.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // no interfaces to list: loopback below
        }
        return "127.0.0.1";
    }

    private static InetAddress literal(String ipv4) {
        try {
            return InetAddress.getByName(ipv4); // an IPv4 literal: no DNS lookup
        } catch (UnknownHostException e) {
            throw new InvalidSettingException("OT_MEDIA_ADDRESS", ipv4, "an IPv4 address");
        }
    }
}
