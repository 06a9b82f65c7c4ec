package io.meridian.infra.links;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A client of the {@link RegionLinks} control interface, for the launcher and drills. */
public final class LinksControl {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    /** @param baseUrl e.g. {@code http://127.0.0.1:PORT}, as {@code cluster.json} names it under {@code links} */
    public LinksControl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** Every link's state. */
    public RegionLinks.Status status() {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/links")).GET());
    }

    /** Cuts both kinds of traffic from {@code from} to {@code to}. */
    public RegionLinks.Status cut(String from, String to) {
        return post("cut", from, to, "");
    }

    /** Delays both kinds of traffic from {@code from} to {@code to}. */
    public RegionLinks.Status delay(String from, String to, Duration delay) {
        return post("delay", from, to, "&ms=" + delay.toMillis());
    }

    /** Heals both kinds of traffic from {@code from} to {@code to}. */
    public RegionLinks.Status heal(String from, String to) {
        return post("heal", from, to, "");
    }

    /** Heals every link. */
    public RegionLinks.Status healAll() {
        return send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/links/heal")).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private RegionLinks.Status post(String operation, String from, String to, String more) {
        String query = "?from=" + URLEncoder.encode(from, StandardCharsets.UTF_8) + "&to="
                + URLEncoder.encode(to, StandardCharsets.UTF_8) + more;
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/links/" + operation + query))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private RegionLinks.Status send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "region links at " + baseUrl + " answered " + response.statusCode() + ": " + response.body());
            }
            return RegionLinks.JSON.readValue(response.body(), RegionLinks.Status.class);
        } catch (IOException e) {
            throw new IllegalStateException("region links at " + baseUrl + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the region links", e);
        }
    }
}
