package io.grove.runtime.http;

import io.grove.runtime.stats.TransferMeter;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /api/v1/stats/throughput}: bytes moved per 10-second bucket over the last hour (docs/api.md). */
final class ThroughputService implements HttpService {
    private final TransferMeter meter;

    ThroughputService(TransferMeter meter) {
        this.meter = meter;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("bucketSeconds", TransferMeter.BUCKET.toSeconds());
            out.put("buckets", meter.lastHour().stream().map(b -> Map.of("start", b.start().toString(),
                    "uploaded", b.uploaded(), "downloaded", b.downloaded(), "peerIn", b.peerIn(), "peerOut", b.peerOut()))
                    .toList());
            Responses.json(res, 200, out);
        });
    }
}
