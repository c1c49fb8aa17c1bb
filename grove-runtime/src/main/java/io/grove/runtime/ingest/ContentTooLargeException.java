package io.grove.runtime.ingest;

import java.io.IOException;

/** The content is larger than the configured limit. */
public final class ContentTooLargeException extends IOException {
    private final long limit;

    public ContentTooLargeException(long limit) {
        super("the content is larger than the limit of " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
