package io.meridian.gateway.config;

import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.failure.GatewayFailure.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.regex.Pattern;

/** The configured namespaces, looked up by the name in a request path. */
@ApplicationScoped
public class Namespaces {

    /** Namespace names are path- and Redis-key-safe; '/' never appears, so {@code ns/key} is unambiguous. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private final Map<String, NamespaceConfig> namespaces;

    public Namespaces(MeridianConfig config) {
        this.namespaces = Map.copyOf(config.namespaces());
        namespaces.keySet().stream()
                .filter(name -> !NAME.matcher(name).matches())
                .findAny()
                .ifPresent(name -> {
                    throw new IllegalStateException("namespace name " + name + " must match " + NAME);
                });
        namespaces.forEach((name, namespace) -> {
            if (namespace.writeMode() == NamespaceConfig.WriteMode.WRITE_THROUGH
                    && namespace
                            .origin()
                            .flatMap(NamespaceConfig.OriginConfig::writeUrl)
                            .isEmpty()) {
                throw new IllegalStateException(
                        "namespace " + name + " is write-through but names no origin.write-url");
            }
            if (namespace.maxTtl().compareTo(config.purgeRetention()) >= 0) {
                throw new IllegalStateException("namespace " + name + ": max-ttl " + namespace.maxTtl()
                        + " must be shorter than meridian.purge-retention (" + config.purgeRetention() + ")");
            }
            if (namespace.fillLeaseTtl().isNegative()
                    || namespace.fillLeaseTtl().compareTo(config.tombstoneTtl()) >= 0) {
                throw new IllegalStateException("namespace " + name + ": fill-lease-ttl must be at least 0 and shorter"
                        + " than meridian.tombstone-ttl (" + config.tombstoneTtl() + ")");
            }
        });
    }

    /** @return whether a namespace homes its keys by owner (so that owner purges cover it) */
    public boolean ownerPlaced(String name) {
        NamespaceConfig namespace = namespaces.get(name);
        return namespace != null && namespace.placement().equals("owner");
    }

    /**
     * @return the namespace's configuration
     * @throws GatewayFailure 404 naming the field {@code namespace} when it is not configured, 400 when it holds
     *     another type of data than {@code expected}
     */
    public NamespaceConfig require(String name, NamespaceConfig.Type expected) {
        NamespaceConfig namespace = namespaces.get(name);
        if (namespace == null) {
            throw GatewayFailure.invalid(
                    Kind.NOT_FOUND,
                    "unknown-namespace",
                    "namespace",
                    "no namespace named '" + name + "' is configured");
        }
        if (namespace.type() != expected) {
            throw GatewayFailure.invalid(
                    Kind.INVALID,
                    "wrong-namespace-type",
                    "namespace",
                    "namespace '" + name + "' holds " + namespace.type().name().toLowerCase() + " data, not "
                            + expected.name().toLowerCase());
        }
        return namespace;
    }

    public Map<String, NamespaceConfig> all() {
        return namespaces;
    }
}
