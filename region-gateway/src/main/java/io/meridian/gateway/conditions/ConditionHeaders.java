package io.meridian.gateway.conditions;

import io.meridian.coherence.version.Version;
import io.meridian.gateway.failure.GatewayFailure;
import io.meridian.gateway.failure.GatewayFailure.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The request headers of a conditional write, read into {@link WriteConditions} (the public API and the inter-region
 * API read the same headers) and written back when a write is forwarded to the key's home region.
 */
@ApplicationScoped
public class ConditionHeaders {

    private final FillLeases leases;

    public ConditionHeaders(FillLeases leases) {
        this.leases = leases;
    }

    /**
     * @throws GatewayFailure 400 naming the header at fault: an {@code If-Match} that is not one entity tag, an
     *     {@code If-None-Match} other than {@code *}, a malformed or foreign lease, an external version that is not
     *     a non-negative integer
     */
    public WriteConditions parse(
            String ns, String key, String ifMatch, String ifNoneMatch, String lease, String externalVersion) {
        Optional<Version> match = Optional.empty();
        if (ifMatch != null && !ifMatch.isBlank()) {
            match = Optional.of(entityTag(ifMatch.trim()));
        }
        boolean noneMatch = false;
        if (ifNoneMatch != null && !ifNoneMatch.isBlank()) {
            if (!ifNoneMatch.trim().equals("*")) {
                throw GatewayFailure.invalid(
                        Kind.INVALID, "invalid-precondition", "If-None-Match", "a write takes only If-None-Match: *");
            }
            noneMatch = true;
        }
        Optional<FillLeases.Lease> verified = Optional.empty();
        if (lease != null && !lease.isBlank()) {
            verified = Optional.of(leases.verify(lease, ns, key));
        }
        OptionalLong external = OptionalLong.empty();
        if (externalVersion != null && !externalVersion.isBlank()) {
            external = OptionalLong.of(nonNegative(externalVersion.trim()));
        }
        return new WriteConditions(match, noneMatch, verified, external);
    }

    /** @return the headers that carry {@code conditions} to the key's home region */
    public static Map<String, String> headersOf(WriteConditions conditions) {
        Map<String, String> headers = new LinkedHashMap<>();
        conditions.ifMatch().ifPresent(version -> headers.put("If-Match", "\"" + version.toHex() + "\""));
        if (conditions.ifNoneMatchAny()) {
            headers.put("If-None-Match", "*");
        }
        conditions.lease().ifPresent(lease -> headers.put(WriteConditions.LEASE_HEADER, lease.token()));
        conditions
                .externalVersion()
                .ifPresent(version -> headers.put(WriteConditions.EXTERNAL_VERSION_HEADER, Long.toString(version)));
        return headers;
    }

    private static Version entityTag(String header) {
        String tag = header.startsWith("W/") ? header.substring(2) : header;
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            tag = tag.substring(1, tag.length() - 1);
        }
        try {
            return Version.fromHex(tag);
        } catch (IllegalArgumentException e) {
            throw GatewayFailure.invalid(
                    Kind.INVALID,
                    "invalid-precondition",
                    "If-Match",
                    "If-Match takes one entity tag as answered in ETag, e.g. \"01a20a31fd5900000200\"");
        }
    }

    private static long nonNegative(String value) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw GatewayFailure.invalid(
                Kind.INVALID,
                "invalid-external-version",
                WriteConditions.EXTERNAL_VERSION_HEADER,
                "an external version is an integer from 0 to " + Long.MAX_VALUE);
    }
}
