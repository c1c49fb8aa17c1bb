package io.grove.runtime.cell;

/**
 * What a serving cell records in its folder ({@code serve.json}) so that the CLI and scripts can find it.
 *
 * @param pid       the process id of the serving cell
 * @param apiUrl    the base URL of the REST API, e.g. {@code http://127.0.0.1:5678}
 * @param peerPort  the port of the peer socket
 * @param cellId    the cell's id
 * @param startedAt when the cell started (ISO-8601)
 */
public record ServeInfo(long pid, String apiUrl, int peerPort, String cellId, String startedAt) {
}
