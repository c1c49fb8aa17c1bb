package io.grove.runtime.cli;

import io.grove.runtime.io.DurableFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;

/** {@code grove get PATH [-o OUT] [--version V]} or {@code grove get --shared ID}: reads a file back, byte for byte. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Read a stored file (the current version, or --version), or one shared with this cell (--shared).")
final class GetCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(paramLabel = "PATH", arity = "0..1", description = "The file's path in Grove.")
    String path;

    @Option(names = "--shared", paramLabel = "ID", description = "A grant id from 'grove feed': read the shared file.")
    String shared;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Where to write it ('-' for standard output; default: the file's name in the current folder).")
    String output;

    @Option(names = "--version", paramLabel = "V", description = "A version id from 'grove history'.")
    String version;

    @Override
    public Integer call() throws IOException {
        ApiClient client = options.client();
        if ((path == null) == (shared == null) || (shared != null && version != null)) {
            throw new CliException("give a PATH (optionally with --version) or --shared ID");
        }
        if (shared != null) {
            path = sharedPath(client);
        }
        String url = shared != null ? "/api/v1/feed/" + ApiClient.query(shared) + "/content"
                : "/api/v1/files/" + ApiClient.filePath(path) + (version == null ? "" : "?version=" + ApiClient.query(version));
        ApiClient.Download response = client.download(url);
        long size = response.length();
        if ("-".equals(output)) {
            try (InputStream in = response.body()) {
                in.transferTo(System.out);
            }
            System.out.flush();
            return 0;
        }
        Path out = Path.of(output != null ? output : path.substring(path.lastIndexOf('/') + 1));
        if (Files.isDirectory(out)) {
            throw new CliException(out + " is a folder; name the file to write (-o FOLDER/NAME)");
        }
        // A device or a pipe (-o /dev/null) is written to as it is: moving a file onto it would replace it.
        boolean device = Files.exists(out) && !Files.isRegularFile(out);
        if (Files.isSymbolicLink(out) && !device) {
            out = out.toRealPath(); // the link stays; the file it names gets the new content
        }
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Otherwise written beside the target and moved into place, so an interrupted download never leaves a
        // partial file.
        Path written = device ? out : Files.createTempFile(dir, "." + out.getFileName(), ".part");
        try (InputStream in = response.body(); Progress progress = new Progress("get " + path, size);
             OutputStream file = Files.newOutputStream(written, StandardOpenOption.WRITE)) {
            long copied = progress.track(in).transferTo(file);
            if (size >= 0 && copied != size) {
                throw new CliException("the download of " + path + " ended after " + copied + " of " + size + " bytes");
            }
        } catch (IOException | RuntimeException e) {
            if (!device) {
                Files.deleteIfExists(written); // never the device itself
            }
            if (e instanceof CliException c) {
                throw c;
            }
            throw new CliException("reading " + path + " failed: " + e.getMessage());
        }
        if (device) {
            return 0;
        }
        Files.move(written, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.fsyncDirectory(dir);
        if (!options.json) {
            System.out.println("wrote " + out + " (" + Human.bytes(Files.size(out)) + ")");
        }
        return 0;
    }

    /** The path of a grant in the feed, for the default output name. */
    private String sharedPath(ApiClient client) {
        for (com.fasterxml.jackson.databind.JsonNode g : client.get("/api/v1/feed?limit=1000")) {
            if (g.path("id").asText().equals(shared)) {
                return g.path("path").asText();
            }
        }
        throw new CliException("no grant " + shared + " in this cell's feed; see 'grove feed'");
    }
}
