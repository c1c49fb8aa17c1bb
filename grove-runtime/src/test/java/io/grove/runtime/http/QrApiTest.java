package io.grove.runtime.http;

import io.grove.runtime.testing.TestCell;
import io.nayuki.qrcodegen.QrCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/qr}: the text's QR code as SVG, module for module; bounded input; authenticated. */
class QrApiTest {
    private static final Pattern MODULE = Pattern.compile("M(\\d+),(\\d+)h1v1h-1z");
    @TempDir
    Path tmp;
    private TestCell cell;

    @BeforeEach
    void start() {
        cell = TestCell.start(tmp.resolve("cell"), Map.of());
    }

    @AfterEach
    void stop() {
        cell.close();
    }

    @Test
    void drawsEveryDarkModuleOfTheTextsCodeAndNothingElse() throws Exception {
        String text = "GROVE1-AEZFWPRQKOIRGQKJWL3IWQMSL7VSM6O3MHODX64ABOJ5A3AM3LL5OAF7ZLA7NSMVAZ2XWQNAYQF3PQ";
        HttpResponse<String> res = cell.send(cell.request("/api/v1/qr?text=" + URLEncoder.encode(text, StandardCharsets.UTF_8))
                .build());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
        assertThat(res.body()).startsWith("<svg ").doesNotContain("GROVE1").doesNotContain("<script");

        QrCode expected = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        boolean[][] drawn = new boolean[expected.size][expected.size];
        Matcher m = MODULE.matcher(res.body());
        int count = 0;
        while (m.find()) {
            drawn[Integer.parseInt(m.group(2)) - 4][Integer.parseInt(m.group(1)) - 4] = true;
            count++;
        }
        int dark = 0;
        for (int y = 0; y < expected.size; y++) {
            for (int x = 0; x < expected.size; x++) {
                assertThat(drawn[y][x]).as("module %d,%d", x, y).isEqualTo(expected.getModule(x, y));
                dark += expected.getModule(x, y) ? 1 : 0;
            }
        }
        assertThat(count).isEqualTo(dark);
    }

    @Test
    void refusesEmptyOrOverlongTextAndCallersWithoutCredentials() throws Exception {
        assertThat(cell.send(cell.request("/api/v1/qr").build()).statusCode()).isEqualTo(400);
        HttpResponse<String> tooLong = cell.send(cell.request("/api/v1/qr?text=" + "A".repeat(QrService.MAX_TEXT + 1)).build());
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("invalid-text");
        HttpResponse<String> anonymous = cell.send(HttpRequest.newBuilder(
                URI.create(cell.cell().apiUrl() + "/api/v1/qr?text=x")).build());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }
}
