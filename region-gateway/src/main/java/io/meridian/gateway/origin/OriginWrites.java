package io.meridian.gateway.origin;

import io.meridian.gateway.config.NamespaceConfig;
import io.meridian.gateway.config.NamespaceConfig.OriginConfig;
import io.meridian.gateway.config.Namespaces;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.failure.GatewayFailure.Kind;
import io.meridian.gateway.metrics.GatewayMetrics;
import io.meridian.gateway.net.PathSegments;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.OptionalLong;

/**
 * Write-through: in a {@code write-through} namespace the key's home sends each write (and delete) to the origin's
 * {@code write-url} before it logs and caches it. Only a 2xx answer lets the write go on; otherwise nothing is cached:
 * an origin that refuses the write gives {@code 502 origin-rejected}, one that cannot answer (timeout, refused
 * connection, 5xx) {@code 503 origin-unavailable}.
 *
 * <p>Write-behind (acknowledge first, write the database later) is not offered: a cache that acknowledges a write the
 * database has not seen loses it when the cache does.
 */
@ApplicationScoped
public class OriginWrites {

    private final Namespaces namespaces;
    private final GatewayMetrics metrics;
    private final WebClient client;

    public OriginWrites(Namespaces namespaces, GatewayMetrics metrics, Vertx vertx) {
        this.namespaces = namespaces;
        this.metrics = metrics;
        this.client = WebClient.create(vertx);
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** @return whether writes of a namespace go to its origin first */
    public boolean writesThrough(String ns) {
        NamespaceConfig config = namespaces.all().get(ns);
        return config != null && config.writeMode() == NamespaceConfig.WriteMode.WRITE_THROUGH;
    }

    /** Sends a write to the origin; completes when the origin accepted it. */
    public Uni<Void> put(String ns, String key, byte[] body, String contentType, OptionalLong externalVersion) {
        OriginConfig origin = origin(ns);
        HttpRequest<Buffer> request = client.putAbs(url(origin, key))
                .timeout(origin.timeout().toMillis())
                .putHeader("Content-Type", contentType);
        externalVersion.ifPresent(version -> request.putHeader("Meridian-External-Version", Long.toString(version)));
        return settle(ns, "put", request.sendBuffer(Buffer.buffer(body)));
    }

    /** Sends a delete to the origin; completes when the origin accepted it. */
    public Uni<Void> delete(String ns, String key) {
        OriginConfig origin = origin(ns);
        return settle(
                ns,
                "delete",
                client.deleteAbs(url(origin, key))
                        .timeout(origin.timeout().toMillis())
                        .send());
    }

    private OriginConfig origin(String ns) {
        return namespaces.all().get(ns).origin().orElseThrow();
    }

    private static String url(OriginConfig origin, String key) {
        return origin.writeUrl().orElseThrow().replace("{key}", PathSegments.encode(key));
    }

    private Uni<Void> settle(String ns, String op, Uni<HttpResponse<Buffer>> call) {
        long started = System.nanoTime();
        return call.onItemOrFailure().transformToUni((response, failure) -> {
            int status = failure == null ? response.statusCode() : -1;
            metrics.originWrite(ns, op, status, System.nanoTime() - started);
            if (status >= 200 && status < 300) {
                return Uni.createFrom().voidItem();
            }
            if (status >= 400 && status < 500) {
                return Uni.createFrom()
                        .failure(new GatewayFailure(
                                Kind.UPSTREAM_REJECTED,
                                "origin-rejected",
                                "the origin refused the " + op + " (" + status + "); nothing was cached",
                                null));
            }
            String why = failure != null ? String.valueOf(failure.getMessage()) : "answered " + status;
            return Uni.createFrom()
                    .failure(GatewayFailure.unavailable(
                            "origin-unavailable", "the origin " + why + "; the " + op + " was not cached"));
        });
    }
}
