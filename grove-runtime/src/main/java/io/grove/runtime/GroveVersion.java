package io.grove.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this Grove build, from the JAR's {@code version.properties}. */
public final class GroveVersion {
    private static final String VERSION = read();

    private GroveVersion() {
    }

    public static String version() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = GroveVersion.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
