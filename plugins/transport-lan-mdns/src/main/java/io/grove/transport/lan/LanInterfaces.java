package io.grove.transport.lan;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which local addresses the mDNS responders bind to: the configured interfaces (by name or by one of their
 * addresses), or else every interface that is up, multicast-capable, and neither loopback nor point-to-point
 * (VPN tunnels). One address per interface, IPv4 preferred: mDNS answers carry the host's addresses anyway.
 * Container bridges count as LAN interfaces by this rule; name the interface to be precise.
 */
final class LanInterfaces {
    /** The most interfaces one transport announces on. */
    static final int MAX_INTERFACES = 8;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+(%[\\w.-]+)?");
    private static final Pattern NAME = Pattern.compile("[\\w.:@-]{1,64}");

    private LanInterfaces() {
    }

    /**
     * Checks the form of configured entries without touching the network (at creation time).
     *
     * @throws IllegalArgumentException naming {@code key} when one is not an address or interface name, or there
     *                                  are too many
     */
    static List<String> validate(List<String> configured, String key) {
        if (configured.size() > MAX_INTERFACES) {
            throw new IllegalArgumentException(key + " names " + configured.size() + " interfaces; at most "
                    + MAX_INTERFACES);
        }
        List<String> out = new ArrayList<>();
        for (String entry : configured) {
            String trimmed = entry.strip();
            if (!NAME.matcher(trimmed).matches()) {
                throw new IllegalArgumentException(key + ": not an interface name or address: "
                        + Announcement.printable(trimmed));
            }
            out.add(trimmed);
        }
        return out;
    }

    /**
     * The addresses to bind, resolved now (interfaces come and go).
     *
     * @param configured validated entries; empty for the default
     * @param key        the configuration key, for messages
     * @throws IOException when a configured interface or address does not exist on this machine
     */
    static List<InetAddress> resolve(List<String> configured, String key) throws IOException {
        if (configured.isEmpty()) {
            return defaults();
        }
        Set<InetAddress> out = new LinkedHashSet<>();
        for (String entry : configured) {
            out.add(resolveOne(entry, key));
        }
        return new ArrayList<>(out);
    }

    private static InetAddress resolveOne(String entry, String key) throws IOException {
        if (IPV4.matcher(entry).matches() || (entry.contains(":") && IPV6.matcher(entry).matches())) {
            InetAddress address;
            try {
                // a literal: no name lookup happens
                address = InetAddress.getByName(entry);
            } catch (UnknownHostException e) {
                throw new IOException(key + ": not an address: " + entry, e);
            }
            if (NetworkInterface.getByInetAddress(address) == null) {
                throw new IOException(key + ": no interface of this machine has the address " + entry);
            }
            return address;
        }
        NetworkInterface nic = NetworkInterface.getByName(entry);
        if (nic == null) {
            throw new IOException(key + ": this machine has no network interface " + entry + " (see 'ip link')");
        }
        if (!nic.isUp()) {
            throw new IOException(key + ": network interface " + entry + " is down");
        }
        return preferred(nic).orElseThrow(() -> new IOException(key + ": network interface " + entry + " has no address"));
    }

    private static List<InetAddress> defaults() throws SocketException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (out.size() >= MAX_INTERFACES) {
                break;
            }
            if (nic.isUp() && !nic.isLoopback() && !nic.isPointToPoint() && !nic.isVirtual() && nic.supportsMulticast()) {
                preferred(nic).ifPresent(out::add);
            }
        }
        return out;
    }

    private static Optional<InetAddress> preferred(NetworkInterface nic) {
        List<InetAddress> addresses = Collections.list(nic.getInetAddresses());
        return addresses.stream().filter(a -> a instanceof Inet4Address).findFirst()
                .or(() -> addresses.stream().filter(a -> !a.isLinkLocalAddress()).findFirst())
                .or(() -> addresses.stream().findFirst());
    }
}
