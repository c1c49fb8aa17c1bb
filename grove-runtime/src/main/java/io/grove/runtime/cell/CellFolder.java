package io.grove.runtime.cell;

import com.fasterxml.jackson.core.JacksonException;
import io.grove.runtime.config.GroveConfig;
import io.grove.runtime.io.DurableFiles;
import io.grove.runtime.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cell folder ({@code $GROVE_DIR}, default {@code ~/.grove}): configuration, keys, API token, database and the
 * default chunk store. {@link #init} creates what is missing and never replaces anything that exists.
 */
public final class CellFolder {
    /** The name of the file holding the REST API bearer token. */
    public static final String TOKEN_FILE = "api.token";
    /** The name of the file a serving cell records its addresses in. */
    public static final String SERVE_FILE = "serve.json";
    private static final String DEFAULT_CONFIG = "grove.yaml";

    private final Path dir;

    public CellFolder(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** The folder named by {@code --dir}, else {@code $GROVE_DIR}, else {@code ~/.grove} ({@code $HOME/.grove}). */
    public static CellFolder locate(Optional<Path> explicit, Map<String, String> environment) {
        if (explicit.isPresent()) {
            return new CellFolder(explicit.get());
        }
        String env = environment.get("GROVE_DIR");
        if (env != null && !env.isBlank()) {
            return new CellFolder(Path.of(env));
        }
        return new CellFolder(userHome(environment).resolve(".grove"));
    }

    /**
     * The user's home folder: {@code $HOME} when set (what {@code ~} means in a shell; the JVM's {@code user.home}
     * comes from the password database and ignores it), else {@code user.home}.
     */
    public static Path userHome(Map<String, String> environment) {
        String home = environment.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    public Path dir() {
        return dir;
    }

    public Path keysDir() {
        return dir.resolve("keys");
    }

    public Path database() {
        return dir.resolve("grove.db");
    }

    public Path configFile() {
        return dir.resolve(GroveConfig.FILE_NAME);
    }

    /** Whether {@code grove init} has run here (the identity key exists). */
    public boolean isInitialized() {
        return Files.exists(keysDir().resolve(CellKeys.SIGNING_FILE));
    }

    /**
     * Creates the folder, {@code grove.yaml} (from {@code template} when given, else the built-in default), the
     * keys and the API token — each only if missing.
     *
     * @return what was created, for the user
     */
    public List<String> init(Optional<Path> template) throws IOException {
        List<String> created = new ArrayList<>();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CellFolderException(dir + " exists and is not a folder");
        }
        if (!Files.isDirectory(dir)) {
            DurableFiles.createPrivateDirectories(dir);
            created.add(dir.toString());
        }
        if (!Files.exists(configFile())) {
            DurableFiles.createPrivate(configFile(), defaultConfig(template));
            created.add(configFile().toString());
        }
        boolean hadKeys = Files.isDirectory(keysDir());
        List<String> before = listKeys();
        CellKeys.createMissing(keysDir(), Files.exists(database()), new SecureRandom());
        for (String key : listKeys()) {
            if (!before.contains(key)) {
                created.add(keysDir().resolve(key).toString());
            }
        }
        if (!hadKeys && created.isEmpty()) {
            created.add(keysDir().toString());
        }
        Path token = dir.resolve(TOKEN_FILE);
        if (!Files.exists(token)) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            DurableFiles.createPrivate(token,
                    (Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n").getBytes(StandardCharsets.US_ASCII));
            created.add(token.toString());
        }
        return created;
    }

    /** Loads the keys, checking their permissions. */
    public CellKeys keys() {
        requireInitialized();
        return CellKeys.load(keysDir());
    }

    /** The REST API bearer token, checking the file's permissions. */
    public String apiToken() {
        requireInitialized();
        Path file = dir.resolve(TOKEN_FILE);
        try {
            if (!Files.exists(file)) {
                throw new CellFolderException(file + " is missing; run 'grove init' to create a new token");
            }
            if (DurableFiles.isShared(file)) {
                throw new CellFolderException(file + " has mode " + DurableFiles.mode(file)
                        + " but must be readable by its owner only; run: chmod 600 " + file);
            }
            String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (token.length() < 32) {
                throw new CellFolderException(file + " holds a token shorter than 32 characters; delete it and run 'grove init'");
            }
            return token;
        } catch (IOException e) {
            throw new CellFolderException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Records where this serving cell listens. */
    public void recordServing(ServeInfo info) throws IOException {
        DurableFiles.writePrivate(dir.resolve(SERVE_FILE), Json.mapper().writeValueAsBytes(info));
    }

    /** Removes the record of a serving cell (on clean shutdown). */
    public void clearServing() throws IOException {
        Files.deleteIfExists(dir.resolve(SERVE_FILE));
    }

    /** Where the cell serving from this folder listens, if one recorded it. */
    public Optional<ServeInfo> serving() {
        try {
            return Optional.of(Json.mapper().readValue(Files.readAllBytes(dir.resolve(SERVE_FILE)), ServeInfo.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CellFolderException("cannot read " + dir.resolve(SERVE_FILE) + ": " + e.getMessage());
        }
    }

    /** Compares two secrets in constant time. */
    public static boolean secretEquals(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private void requireInitialized() {
        if (!Files.isDirectory(dir)) {
            throw new CellFolderException("no cell folder at " + dir + "; run 'grove init --dir " + dir + "'");
        }
        if (!isInitialized()) {
            throw new CellFolderException(dir + " is not an initialised cell folder (no keys); run 'grove init --dir " + dir + "'");
        }
    }

    private List<String> listKeys() throws IOException {
        if (!Files.isDirectory(keysDir())) {
            return List.of();
        }
        try (var files = Files.list(keysDir())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] defaultConfig(Optional<Path> template) throws IOException {
        if (template.isPresent() && Files.isRegularFile(template.get())) {
            return Files.readAllBytes(template.get());
        }
        try (InputStream in = CellFolder.class.getResourceAsStream(DEFAULT_CONFIG)) {
            if (in == null) {
                throw new IllegalStateException("the default grove.yaml is missing from the runtime JAR");
            }
            return in.readAllBytes();
        }
    }
}
