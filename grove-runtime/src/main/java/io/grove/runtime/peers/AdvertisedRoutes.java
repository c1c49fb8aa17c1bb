package io.grove.runtime.peers;

import io.grove.runtime.config.ConfigException;
import io.grove.runtime.fleet.Invite;
import io.grove.runtime.fleet.Member;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where other cells can reach this cell's peer socket ({@code host:port}), as it advertises them in rosters,
 * invite codes and hellos: {@code peer.advertise} when set; else the peer socket's bind address when it is a
 * specific one; else the addresses of the interfaces that are up (IPv4 first, then global IPv6, at most
 * {@link Member#MAX_ROUTES}); loopback only when nothing else exists.
 */
public final class AdvertisedRoutes {
    private AdvertisedRoutes() {
    }

    /**
     * @param configured {@code peer.advertise}
     * @param bind       {@code peer.bind}
     * @param port       the port the peer socket listens on
     * @throws ConfigException when a configured route is not {@code host:port}
     */
    public static List<String> of(List<String> configured, String bind, int port) {
        if (!configured.isEmpty()) {
            if (configured.size() > Member.MAX_ROUTES) {
                throw new ConfigException("configuration key 'peer.advertise' lists at most " + Member.MAX_ROUTES
                        + " host:port addresses");
            }
            for (String route : configured) {
                try {
                    Invite.requireRoute(route);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("configuration key 'peer.advertise': " + e.getMessage());
                }
            }
            return List.copyOf(configured);
        }
        try {
            InetAddress address = InetAddress.getByName(bind);
            if (!address.isAnyLocalAddress()) {
                return List.of(hostPort(address, port));
            }
        } catch (UnknownHostException e) {
            return List.of(bind + ":" + port);
        }
        List<String> routes = interfaceRoutes(port);
        return routes.isEmpty() ? List.of("127.0.0.1:" + port) : routes;
    }

    private static List<String> interfaceRoutes(int port) {
        List<String> v4 = new ArrayList<>();
        List<String> v6 = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
                        v4.add(hostPort(address, port));
                    } else if (address instanceof Inet6Address && !address.isLinkLocalAddress()
                            && !address.isSiteLocalAddress()) {
                        v6.add(hostPort(address, port));
                    }
                }
            }
        } catch (SocketException e) {
            return List.of();
        }
        v4.addAll(v6);
        return v4.stream().distinct().limit(Member.MAX_ROUTES).toList();
    }

    private static String hostPort(InetAddress address, int port) {
        String host = address.getHostAddress();
        int zone = host.indexOf('%');
        if (zone >= 0) {
            host = host.substring(0, zone);
        }
        return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }
}
