package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.files.FolderEntries;
import io.grove.runtime.manifest.FilePaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code grove put FILE|DIR [--as PATH] [--upload]}: stores a file, or a folder's files recursively. When the cell
 * serves from a folder this user can read (found with {@code --dir}), the cell reads the files itself
 * ({@code POST /api/v1/local}); otherwise, or with {@code --upload}, they travel over HTTP (a folder as one tar stream).
 */
@Command(name = "put", mixinStandardHelpOptions = true,
        description = "Store a file, or every file of a folder (recursively), in the cell.")
final class PutCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(paramLabel = "FILE|DIR", description = "What to store.")
    Path source;

    @Option(names = "--as", paramLabel = "PATH", description = "The path in Grove (default: the file or folder name).")
    String as;

    @Option(names = "--upload", description = "Send the bytes over HTTP even when the cell runs on this machine as "
            + "this user (by default it then reads them itself).")
    boolean upload;

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new CliException(source + " does not exist");
        }
        String target = as != null ? as : source.toAbsolutePath().normalize().getFileName().toString();
        try {
            FilePaths.check(target);
        } catch (IllegalArgumentException e) {
            throw new CliException("--as " + target + ": " + e.getMessage(), Main.USAGE);
        }
        if (!Files.isDirectory(source) && !Files.isRegularFile(source)) {
            throw new CliException(source + " is neither a regular file nor a folder");
        }
        ApiClient client = options.client();
        Optional<JsonNode> read = Optional.empty();
        if (!upload) {
            try (Progress progress = new Progress("put " + target, 0)) {
                read = client.putLocal(source.toAbsolutePath().normalize(), target, progress);
            }
        }
        JsonNode result = read.isPresent() ? read.get() : send(client, target);
        if (options.json) {
            Human.printJson(System.out, result);
        } else {
            long added = result.path("newBytes").asLong();
            if (Files.isDirectory(source)) {
                System.out.println("stored " + result.path("files").asLong() + " files under " + target + " ("
                        + Human.bytes(result.path("bytes").asLong()) + ", " + Human.bytes(added) + " new)");
            } else {
                JsonNode v = result.path("version");
                System.out.println("stored " + v.path("path").asText() + " (" + Human.bytes(v.path("size").asLong())
                        + ", version " + Human.shortVersion(v.path("version").asText()) + ", "
                        + Human.bytes(added) + " new)");
            }
        }
        return 0;
    }

    /** Sends the file or the folder's files to the cell over HTTP. */
    private JsonNode send(ApiClient client, String target) throws IOException {
        if (Files.isDirectory(source)) {
            FolderEntries files;
            try {
                // The cell applies its own file limit; this pass counts the bytes and finds unreadable files first.
                files = FolderEntries.walk(source, Integer.MAX_VALUE);
            } catch (AccessDeniedException e) {
                throw new CliException("cannot read " + e.getFile() + ": permission denied");
            }
            try (Progress progress = new Progress("put " + target, files.totalBytes())) {
                return putFolder(client, files, target, progress);
            }
        }
        try (Progress progress = new Progress("put " + target, Files.size(source))) {
            return put(client, source, target, progress);
        }
    }

    /**
     * Sends a folder as one tar stream ({@code POST /api/v1/archive}), written as the request reads it: the cell
     * commits its files in a few durable groups, which is far faster for many small files than a request per file.
     * A failure to read a file fails the request, and the cell keeps nothing of the group it was in.
     */
    private static JsonNode putFolder(ApiClient client, FolderEntries files, String target, Progress progress) {
        return client.upload("POST", "/api/v1/archive?prefix=" + ApiClient.query(target),
                Map.of("Content-Type", "application/x-tar"), -1, () -> new TarStream(files, progress::track));
    }

    private static JsonNode put(ApiClient client, Path file, String path, Progress progress) {
        try {
            FilePaths.check(path);
        } catch (IllegalArgumentException e) {
            throw new CliException(file + " cannot be stored as " + path + ": " + e.getMessage());
        }
        long mtime;
        long size;
        try {
            mtime = Files.getLastModifiedTime(file).toMillis();
            size = Files.size(file);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
        return client.upload("PUT", "/api/v1/files/" + ApiClient.filePath(path),
                Map.of("X-Grove-Mtime", Long.toString(mtime)), size, () -> progress.track(Files.newInputStream(file)));
    }

}
