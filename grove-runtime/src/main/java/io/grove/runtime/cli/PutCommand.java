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
                for (Path file : files) {
                    StringBuilder path = new StringBuilder(target);
                    for (Path part : source.relativize(file)) {
                        path.append('/').append(part);
                    }
                    results.add(put(client, file, path.toString(), progress));
                }
            }
        } else if (Files.isRegularFile(source)) {
            try (Progress progress = new Progress("put " + target, Files.size(source))) {
                results.add(put(client, source, target, progress));
            }
        } else {
            throw new CliException(source + " is neither a regular file nor a folder");
        }
        if (options.json) {
            Human.printJson(System.out, results.size() == 1 && !Files.isDirectory(source) ? results.get(0) : results);
        } else {
            long added = 0;
            for (JsonNode r : results) {
                added += r.path("newBytes").asLong();
            }
            if (results.size() == 1) {
                JsonNode v = results.get(0).path("version");
                System.out.println("stored " + v.path("path").asText() + " (" + Human.bytes(v.path("size").asLong())
                        + ", version " + Human.shortVersion(v.path("version").asText()) + ", "
                        + Human.bytes(added) + " new)");
            } else {
                System.out.println("stored " + results.size() + " files under " + target + " (" + Human.bytes(added) + " new)");
            }
        }
        return 0;
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
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
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
