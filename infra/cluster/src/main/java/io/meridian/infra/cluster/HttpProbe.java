package io.meridian.infra.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Short HTTP questions to a region's apps: is it ready, what is its status. Every call has a 2-second timeout and
 * turns an unreachable server into an answer ({@code -1}, empty) rather than an exception, because a region being
 * down is a normal state for {@code status} to report.
 */
public final class HttpProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    /** The status code of {@code GET url}, or -1 when nothing answered. */
    public int statusCode(String url) {
        try {
            return client.send(get(url), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The JSON body of {@code GET url} when it answered 200 with JSON. */
    public Optional<JsonNode> json(String url) {
        try {
            HttpResponse<String> response = client.send(get(url), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(ClusterDescription.JSON.readTree(response.body()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Whether a Quarkus app answers 200 on {@code /q/health/ready}. */
    public boolean isReady(String baseUrl) {
        return statusCode(baseUrl + "/q/health/ready") == 200;
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build();
    }
}
