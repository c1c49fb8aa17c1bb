package io.grove.runtime.cell;

/**
 * What a serving cell records in its folder ({@code serve.json}) so that the CLI and scripts can find it.
 *
 * @param pid       the process id of the serving cell
 * @param apiUrl    the base URL of the REST API, e.g. {@code http://127.0.0.1:5678}
 * @param peerPort  the port of the peer socket
 * @param cellId    the cell's id
 * @param startedAt  when the cell started (ISO-8601)
 * @param localToken a secret new at each start: a caller that can read it (this file is 0600 in the cell's 0700
 *                   folder) runs on this machine as the cell's user, and may ask the cell to read files itself
 *                   ({@code POST /api/v1/local}, docs/api.md "Local puts")
 */
public record ServeInfo(long pid, String apiUrl, int peerPort, String cellId, String startedAt, String localToken) {
}
