package io.grove.runtime.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.nayuki.qrcodegen.DataTooLongException;
import io.nayuki.qrcodegen.QrCode;

import java.nio.charset.StandardCharsets;

/**
 * {@code GET /api/v1/qr?text=…}: the text as a QR code in SVG, for the dashboard (an invite code to scan with a
 * phone). Made here rather than in the page so that no script library is needed; the SVG holds only rectangles, never
 * the text, so nothing in it can be interpreted as markup.
 */
final class QrService implements HttpService {
    /** The longest text encoded (an invite code is well under 1 KiB). */
    static final int MAX_TEXT = 1024;
    /** Light modules around the code, as ISO/IEC 18004 asks. */
    private static final int QUIET_ZONE = 4;

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::qr);
    }

    private void qr(ServerRequest req, ServerResponse res) {
        String text = req.query().first("text").orElse("");
        if (text.isEmpty() || text.length() > MAX_TEXT) {
            throw new ProblemException(Problem.of(400, "invalid-text", "Bad request",
                    "text: 1 to " + MAX_TEXT + " characters to encode"));
        }
        QrCode code;
        try {
            // Medium error correction: survives a smudged screen, keeps the code small enough to scan from a laptop.
            code = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        } catch (DataTooLongException e) {
            throw new ProblemException(Problem.of(400, "invalid-text", "Bad request", "text: too long for a QR code"));
        }
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "image/svg+xml");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(svg(code).getBytes(StandardCharsets.UTF_8));
    }

    /** The code as an SVG image: one path of unit squares on a white square, {@value #QUIET_ZONE} modules of margin. */
    static String svg(QrCode code) {
        int size = code.size + 2 * QUIET_ZONE;
        StringBuilder path = new StringBuilder(code.size * code.size * 4);
        for (int y = 0; y < code.size; y++) {
            for (int x = 0; x < code.size; x++) {
                if (code.getModule(x, y)) {
                    path.append('M').append(x + QUIET_ZONE).append(',').append(y + QUIET_ZONE).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size + "\" width=\""
                + size * 6 + "\" height=\"" + size * 6 + "\" shape-rendering=\"crispEdges\">"
                + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
    }
}
