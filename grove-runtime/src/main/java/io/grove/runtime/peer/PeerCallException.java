package io.grove.runtime.peer;

import java.io.IOException;

/**
 * A peer answered a request with a verified, signed refusal or failure (4xx/5xx). Unlike an {@link IOException}
 * from the route, trying another route to the same peer will not help.
 */
public final class PeerCallException extends IOException {
    private final int status;
    private final String problem;

    /**
     * @param status  the signed status
     * @param problem the problem body as the peer sent it (bounded), for logs
     */
    public PeerCallException(String operation, int status, String problem) {
        super(operation + " refused with " + status + ": " + problem);
        this.status = status;
        this.problem = problem;
    }

    public int status() {
        return status;
    }

    /** The peer's problem details body (JSON text). */
    public String problem() {
        return problem;
    }
}
