package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.grove.runtime.json.Json;
import io.grove.runtime.manifest.FilePaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code grove put FILE|DIR [--as PATH]}: stores a file, or a folder's files recursively. */
@Command(name = "put", mixinStandardHelpOptions = true,
        description = "Store a file, or every file of a folder (recursively), in the cell.")
final class PutCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(paramLabel = "FILE|DIR", description = "What to store.")
    Path source;

    @Option(names = "--as", paramLabel = "PATH", description = "The path in Grove (default: the file or folder name).")
    String as;

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
        ApiClient client = options.client();
        ArrayNode results = Json.mapper().createArrayNode();
        if (Files.isDirectory(source)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(source)) {
                files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
            }
            long total = 0;
            for (Path f : files) {
                total += Files.size(f);
            }
            try (Progress progress = new Progress("put " + target, total)) {
                results.add(putFolder(client, source, files, target, progress));
            }
        } else if (Files.isRegularFile(source)) {
            try (Progress progress = new Progress("put " + target, Files.size(source))) {
                results.add(put(client, source, target, progress));
            }
        } else {
            throw new CliException(source + " is neither a regular file nor a folder");
        }
        if (options.json) {
            Human.printJson(System.out, results.get(0));
        } else {
            long added = results.get(0).path("newBytes").asLong();
            if (Files.isDirectory(source)) {
                JsonNode r = results.get(0);
                System.out.println("stored " + r.path("files").asLong() + " files under " + target + " ("
                        + Human.bytes(r.path("bytes").asLong()) + ", " + Human.bytes(r.path("newBytes").asLong()) + " new)");
            } else {
                JsonNode v = results.get(0).path("version");
                System.out.println("stored " + v.path("path").asText() + " (" + Human.bytes(v.path("size").asLong())
                        + ", version " + Human.shortVersion(v.path("version").asText()) + ", "
                        + Human.bytes(added) + " new)");
            }
        }
        return 0;
    }

    /**
     * Sends a folder as one tar stream ({@code POST /api/v1/archive}), written as the request reads it: the cell
     * commits its files in a few durable groups, which is far faster for many small files than a request per file.
     * A failure to read a file fails the request, and the cell keeps nothing of the group it was in.
     */
    private static JsonNode putFolder(ApiClient client, Path folder, List<Path> files, String target, Progress progress) {
        HttpRequest request = client.request("/api/v1/archive?prefix=" + ApiClient.query(target))
                .header("Content-Type", "application/x-tar")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new TarStream(folder, files, progress::track)))
                .build();
        return client.json(request);
    }

    /** The archive name of a file: its path below the folder, '/'-separated whatever the platform. */
    static String relative(Path folder, Path file) {
        StringBuilder name = new StringBuilder();
        for (Path part : folder.relativize(file)) {
            if (!name.isEmpty()) {
                name.append('/');
            }
            name.append(part);
        }
        return name.toString();
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
        HttpRequest request = client.request("/api/v1/files/" + ApiClient.filePath(path))
                .header("X-Grove-Mtime", Long.toString(mtime))
                // fromPublisher refuses a length of 0: an empty file is sent as an empty body.
                .PUT(size == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return progress.track(Files.newInputStream(file));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }), size))
                .build();
        return client.json(request);
    }

}
