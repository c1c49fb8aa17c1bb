package io.grove.runtime.plugin;

import io.grove.api.GroveApi;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code META-INF/grove-plugin.properties}: what the runtime reads of a plugin before loading any of its classes.
 *
 * @param name        the plugin's name, lower-case with dashes ({@code store-filesystem})
 * @param version     the plugin's own version
 * @param apiVersion  the {@code grove-api} version it was built against, {@code MAJOR.MINOR}
 * @param description one line for humans
 */
public record PluginDescriptor(String name, String version, String apiVersion, String description) {
    /** Where the descriptor lives inside a plugin JAR. */
    public static final String RESOURCE = "META-INF/grove-plugin.properties";
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern API_VERSION = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})");

    public PluginDescriptor {
        if (name == null || name.length() > 64 || !NAME.matcher(name).matches()) {
            throw new PluginException("plugin name must be lower-case words with dashes (at most 64 characters): " + name);
        }
        if (version == null || version.isBlank() || version.length() > 64) {
            throw new PluginException("plugin " + name + " has no version");
        }
        if (apiVersion == null || !API_VERSION.matcher(apiVersion).matches()) {
            throw new PluginException("plugin " + name + " has api-version '" + apiVersion + "'; expected MAJOR.MINOR");
        }
        description = description == null ? "" : description;
    }

    /** Reads a descriptor, naming {@code source} in any error. */
    public static PluginDescriptor read(InputStream in, String source) throws IOException {
        Properties p = new Properties();
        p.load(in);
        try {
            return new PluginDescriptor(p.getProperty("name"), p.getProperty("version"),
                    p.getProperty("api-version"), p.getProperty("description"));
        } catch (PluginException e) {
            throw new PluginException(source + ": " + e.getMessage());
        }
    }

    /**
     * Why this plugin cannot run on this runtime, or empty when it can: the majors must be equal and the plugin's
     * minor must not be newer than the runtime's.
     */
    public Optional<String> incompatibility() {
        Matcher m = API_VERSION.matcher(apiVersion);
        if (!m.matches()) {
            throw new IllegalStateException("validated in the constructor");
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        if (major != GroveApi.MAJOR || minor > GroveApi.MINOR) {
            return Optional.of("plugin " + name + " " + version + " needs Grove API " + apiVersion
                    + " but this cell provides API " + GroveApi.VERSION + "; install a build of the plugin for API "
                    + GroveApi.MAJOR + ".x");
        }
        return Optional.empty();
    }
}
