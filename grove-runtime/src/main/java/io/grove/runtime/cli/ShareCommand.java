package io.grove.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code grove share PATH --with CELL [--expires 7d] [--this-version]}: grants another cell read access to a file. */
@Command(name = "share", mixinStandardHelpOptions = true,
        description = "Let a friend or member cell read a file (the latest version unless --this-version); "
                + "'grove unshare ID' takes it back.")
final class ShareCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(paramLabel = "PATH", description = "The file's path in Grove.")
    String path;

    @Option(names = "--with", required = true, paramLabel = "CELL",
            description = "The cell's id, or at least its first 4 characters (see 'grove peers').")
    String with;

    @Option(names = "--expires", paramLabel = "DURATION", description = "How long the grant lasts (1m to 3650d); default: until revoked.")
    String expires;

    @Option(names = "--this-version", description = "Share only the current version, not later ones.")
    boolean thisVersion;

    @Override
    public Integer call() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("path", path);
        body.put("with", with);
        body.put("latest", !thisVersion);
        if (expires != null) {
            body.put("expires", expires);
        }
        JsonNode grant = options.client().json("POST", "/api/v1/shares", body);
        if (options.json) {
            Human.printJson(System.out, grant);
        } else {
            System.out.println(grant.path("id").asText());
            System.err.println("shared " + path + " with " + grant.path("to").asText().substring(0, 8)
                    + (grant.path("expiresAt").isNull() ? "" : " until " + grant.path("expiresAt").asText())
                    + "; revoke with: grove unshare " + grant.path("id").asText());
        }
        return 0;
    }

    /** {@code grove unshare ID}: revokes a grant. */
    @Command(name = "unshare", mixinStandardHelpOptions = true,
            description = "Revoke a grant made with 'grove share': the recipient is refused from now on and the "
                    + "file's next version gets a key it never receives.")
    static final class Unshare implements Callable<Integer> {
        @Mixin
        ClientOptions options;

        @Parameters(paramLabel = "ID", description = "The grant id that 'grove share' printed (see GET /api/v1/shares).")
        String id;

        @Override
        public Integer call() {
            ApiClient client = options.client();
            JsonNode grant = client.send("DELETE", "/api/v1/shares/" + ApiClient.query(id));
            if (options.json) {
                Human.printJson(System.out, grant);
            } else {
                System.out.println("revoked " + id + " (" + grant.path("path").asText() + ")"
                        + (grant.path("recipientTold").asBoolean() ? "" : "; the recipient was offline and is refused when it asks"));
            }
            return 0;
        }
    }

    /** {@code grove feed}: files other cells shared with this one. */
    @Command(name = "feed", mixinStandardHelpOptions = true,
            description = "List the files other cells shared with this one; read one with 'grove get --shared ID'.")
    static final class Feed implements Callable<Integer> {
        @Mixin
        ClientOptions options;

        @Override
        public Integer call() {
            ApiClient client = options.client();
            JsonNode feed = client.get("/api/v1/feed");
            if (options.json) {
                Human.printJson(System.out, feed);
                return 0;
            }
            if (feed.isEmpty()) {
                System.out.println("nothing shared with this cell");
            }
            for (JsonNode g : feed) {
                System.out.println(g.path("id").asText() + "  " + g.path("from").asText().substring(0, 8) + "  "
                        + g.path("path").asText() + (g.path("latest").asBoolean() ? "" : "  (one version)")
                        + (g.path("expiresAt").isNull() ? "" : "  until " + g.path("expiresAt").asText()));
            }
            return 0;
        }
    }
}
