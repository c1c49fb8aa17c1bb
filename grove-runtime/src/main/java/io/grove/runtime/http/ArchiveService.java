package io.grove.runtime.http;

import io.grove.runtime.files.ArchiveException;
import io.grove.runtime.files.FileService;
import io.grove.runtime.ingest.ContentTooLargeException;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.util.List;

/**
 * {@code POST /api/v1/archive?prefix=P}: stores every regular file of a tar body (ustar, GNU or PAX, e.g.
 * {@code tar -c DIR | curl -T - …}) under {@code P}, committing thousands of small files in a few durable groups.
 */
final class ArchiveService implements HttpService {
    /** The most files one archive may hold. */
    static final int MAX_FILES = 1_000_000;

    private final FileService files;
    private final long maxBody;

    ArchiveService(FileService files, long maxBody) {
        this.files = files;
        this.maxBody = maxBody;
    }

    /** One stored file. */
    record Entry(String path, String version, long size) {
    }

    /** What an archive put stored. */
    record ArchiveView(int files, int skipped, long bytes, long newBytes, List<Entry> versions) {
        static ArchiveView of(FileService.ArchiveResult result) {
            long bytes = 0;
            long newBytes = 0;
            List<Entry> entries = new java.util.ArrayList<>(result.stored().size());
            for (FileService.Stored s : result.stored()) {
                bytes += s.version().size();
                newBytes += s.newBytes();
                entries.add(new Entry(s.version().path(), s.version().id(), s.version().size()));
            }
            return new ArchiveView(entries.size(), result.skipped(), bytes, newBytes, entries);
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::post);
    }

    private void post(ServerRequest req, ServerResponse res) throws IOException {
        String prefix = req.query().first("prefix").orElse("");
        if (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        FileService.ArchiveResult result;
        try {
            result = files.putArchive(prefix, req.content().inputStream(), maxBody, MAX_FILES);
        } catch (ArchiveException | IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-archive", e.getMessage()
                    + "; files of earlier groups of the archive may have been stored");
        } catch (ContentTooLargeException e) {
            throw new ProblemException(Problem.of(413, "too-large", "Content too large",
                    "the archive is larger than api.max-body (" + e.limit() + " bytes)"));
        } catch (IOException e) {
            if (e.getClass().getName().startsWith("org.apache.commons.compress")
                    || String.valueOf(e.getMessage()).contains("tar")) {
                throw ProblemException.badRequest("invalid-archive", "the body is not a readable tar archive: " + e.getMessage());
            }
            throw e;
        }
        Responses.json(res, 201, ArchiveView.of(result));
    }
}
