package io.grove.runtime.web;

import java.util.Optional;

/**
 * The session cookie: {@code grove-session-<port>} (cookies do not separate ports, so two cells on one host each keep
 * their own), {@code HttpOnly} (page scripts cannot read it), {@code SameSite=Strict} (other sites' pages never send
 * it), {@code Secure} when the request came over TLS, and no {@code Max-Age}: it ends with the browser session.
 */
public final class SessionCookie {
    private static final int MAX_HEADER = 8192;

    private SessionCookie() {
    }

    /** The cookie's name for the socket on {@code port}. */
    public static String name(int port) {
        return "grove-session-" + port;
    }

    /** The session id in a {@code Cookie} header, if present. */
    public static Optional<String> find(String cookieHeader, int port) {
        if (cookieHeader.length() > MAX_HEADER) {
            return Optional.empty();
        }
        String name = name(port);
        for (String part : cookieHeader.split(";", 64)) {
            String pair = part.trim();
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                String value = pair.substring(eq + 1).trim();
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** The {@code Set-Cookie} value that starts {@code session}. */
    public static String set(Sessions.Session session, int port, boolean secure) {
        return name(port) + "=" + session.id() + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** The {@code Set-Cookie} value that removes the cookie. */
    public static String clear(int port, boolean secure) {
        return name(port) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }
}
